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

// Two articles every aggregator takes (the newer with a definition list, which SmartNews'
// allowlist does not take), and an older one whose image is too small for Flipboard and MSN:
// the goldens show an article left out and a body trimmed.
const DEFINITIONS = `${Array.from(
  { length: 6 },
  (_, i) => `Paragraph ${i} of the story, with enough words in it to read like news & more.`,
).join('\n\n')}\n\n<dl><dt>SmartFormat</dt><dd>SmartNews' RSS dialect</dd></dl>`
const SMALL_IMAGE =
  '{ url: "https://img.news.test/small.jpg", alt: "Small", credit: "Someone", width: 400, height: 300, type: "image/jpeg", length: 9000 }'
const SHOWCASE = profileContent({
  'content/articles/first.md': goodArticle({ slug: 'first' }),
  'content/articles/second.md': goodArticle(
    { slug: 'second', published: '2026-10-21T09:00:00Z' },
    DEFINITIONS,
  ),
  'content/articles/third.md': goodArticle({
    slug: 'third',
    published: '2026-10-19T09:00:00Z',
    image: SMALL_IMAGE,
  }),
})
const TITLES = ['A headline long enough number 2', 'A headline long enough number 1']
const titlesIn = (id: string) =>
  PROFILES[id]?.image ? TITLES : [...TITLES, 'A headline long enough number 3']

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
    const titles = titlesIn(id)
    expect(parsed.entries.map((e) => e.title)).toEqual(titles)
    expect((await parseWithRssParser(xml)).items.map((i) => i.title)).toEqual(titles)
    const format = file === 'rss.xml' ? 'rss' : 'atom'
    expect(readWithFeedsmith(xml, format).map((i) => i.title)).toEqual(titles)
    expect(readWithExtractor(xml, format).map((i) => i.title)).toEqual(titles)
  })

  it.each(FILES.filter(([, file]) => file === 'atom.xml'))(
    '%s %s passes RELAX NG and the RFC 4287 rules',
    async (id, file) => {
      const xml = await (await app.get(`/feeds/${id}/${file}`)).text()
      expect(checkAtomRelaxNg(xml)).toBe('')
      expect(checkAtomRules(xml)).toEqual([])
    },
  )

  it('has Atom files among the profiles to check', () => {
    expect(FILES.filter(([, file]) => file === 'atom.xml').length).toBeGreaterThan(0)
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

  it('reports the article each profile leaves out, the trimmed body, and nothing else', () => {
    expect(app.report).toEqual([
      'flipboard: third: image-size: the lead image is 400×300; Flipboard needs at least 500 px on its shortest side',
      'flipboard: (feed): item-count: the feed holds 2 items; Flipboard asks for at least 20 (reported, not enforced)',
      'msn: third: image-size: the lead image is 400×300; MSN needs at least 720 px on its longest side',
      'smartnews: second: html-allowlist: SmartNews takes no <dd>, <dl>, <dt>: removed from the body, their text kept (reported, not enforced)',
    ])
  })
})
