import { beforeAll, describe, expect, it } from 'vitest'
import { PROFILES } from '../../src/profiles/rules'
import { goodArticle, profileApp, profileContent } from '../helpers/profiles'
import { readWithExtractor, readWithFeedsmith } from '../helpers/readers'
import {
  checkAtomRelaxNg,
  checkAtomRules,
  checkWellFormed,
  parseWithFeedparser,
  parseWithRssParser,
} from '../helpers/validators'

const SHOWCASE = profileContent({
  'content/articles/first.md': goodArticle({ slug: 'first' }),
  'content/articles/second.md': goodArticle({ slug: 'second', published: '2026-10-21T09:00:00Z' }),
})

let app: Awaited<ReturnType<typeof profileApp>>

beforeAll(async () => {
  app = await profileApp(SHOWCASE)
})

const FILES = Object.values(PROFILES).flatMap((rules) =>
  rules.formats.map((format) => [rules.id, format === 'rss' ? 'rss.xml' : 'atom.xml'] as const),
)

describe('aggregator profile feeds', () => {
  it.each(FILES)('%s %s matches its golden file and passes the validators', async (id, file) => {
    const response = await app.get(`/feeds/${id}/${file}`)
    expect(response.status).toBe(200)
    const xml = await response.text()
    await expect(xml).toMatchFileSnapshot(`../golden/profiles/${id}.${file}`)
    expect(checkWellFormed(xml)).toBe(true)
    const parsed = parseWithFeedparser(xml)
    expect(parsed.bozo, parsed.bozo_exception).toBe(false)
    expect(parsed.entries.map((e) => e.title)).toEqual([
      'A headline long enough number 2',
      'A headline long enough number 1',
    ])
    expect((await parseWithRssParser(xml)).items).toHaveLength(2)
    const format = file === 'rss.xml' ? 'rss' : 'atom'
    const titles = ['A headline long enough number 2', 'A headline long enough number 1']
    expect(readWithFeedsmith(xml, format).map((i) => i.title)).toEqual(titles)
    expect(readWithExtractor(xml, format).map((i) => i.title)).toEqual(titles)
    if (file === 'atom.xml') {
      expect(checkAtomRelaxNg(xml)).toBe('')
      expect(checkAtomRules(xml)).toEqual([])
    }
  })

  it('answers 404 for a format the aggregator does not take', async () => {
    expect((await app.get('/feeds/msn/atom.xml')).status).toBe(404)
    expect((await app.get('/feeds/flipboard/feed.json')).status).toBe(404)
    expect(await (await app.get('/feeds/smartnews/atom.xml')).text()).toBe(
      'SmartNews takes RSS only\n',
    )
  })

  it('adds the elements each aggregator reads', async () => {
    const text = async (id: string) => (await app.get(`/feeds/${id}/rss.xml`)).text()
    expect(await text('feedly')).toContain('<webfeeds:accentColor>0b5cad</webfeeds:accentColor>')
    expect(await text('feedly')).toContain('<webfeeds:cover image="https://news.test/cover.jpg"/>')
    expect(await text('smartnews')).toContain(
      '<snf:logo>\n      <url>https://news.test/logo.png</url>\n    </snf:logo>',
    )
    expect(await text('smartnews')).toContain(
      '<media:thumbnail url="https://img.news.test/lead.jpg" width="1600" height="900"/>',
    )
    expect(await text('google-news')).toContain('<atom:link rel="hub" href="https://hub.test/"/>')
    const flipboard = parseWithFeedparser(await text('flipboard')).entries[0]
    expect(flipboard?.summary?.length).toBeGreaterThanOrEqual(300)
    expect(
      flipboard?.summary?.startsWith('A one-line summary of the story. Paragraph 0 of the story'),
    ).toBe(true)
  })

  it('reports nothing for content that meets every rule', () => {
    expect(app.report).toEqual([
      'flipboard: (feed): item-count: the feed holds 2 items; Flipboard asks for at least 20 (reported, not enforced)',
    ])
  })
})
