import { beforeAll, describe, expect, it } from 'vitest'
import { listFeeds } from '../../src/model/feeds'
import { encodePath } from '../../src/render/document'
import { appFor, feedArticles } from '../helpers/app'
import { TEST_NOW } from '../helpers/content'
import { HOSTILE_ARTICLES, hostileContent } from '../helpers/hostile'
import {
  readWithExtractor,
  readWithFeedparser,
  readWithFeedsmith,
  readWithRssParser,
  type SeenItem,
} from '../helpers/readers'
import {
  checkAtomRelaxNg,
  checkAtomRules,
  checkJsonFeed,
  checkWellFormed,
  parseWithFeedparser,
} from '../helpers/validators'

let get: Awaited<ReturnType<typeof appFor>>['get']
let bundle: Awaited<ReturnType<typeof appFor>>['bundle']
const bodies = new Map<string, string>()

// feedparser strips surrounding whitespace, as Python defines it, from what it reports.
// biome-ignore lint/suspicious/noControlCharactersInRegex: Python strips these too
const strip = (s: string) => s.replace(/^[\s\x1c-\x1f\x85]+|[\s\x1c-\x1f\x85]+$/g, '')

beforeAll(async () => {
  ;({ get, bundle } = await appFor(hostileContent()))
  for (const feed of listFeeds(bundle.content)) {
    for (const file of ['rss.xml', 'atom.xml', 'feed.json']) {
      const path = `/${feed.path ? `${encodePath(feed.path)}/` : ''}${file}`
      const response = await get(path)
      expect(response.status, path).toBe(200)
      bodies.set(`${feed.path}|${file}`, await response.text())
    }
  }
}, 120_000)

function expected(path: string): SeenItem[] {
  return feedArticles(bundle, path, TEST_NOW)
    .slice(0, bundle.content.site.defaultItems)
    .map((a) => ({
      id: a.id,
      title: a.title,
      link: a.url,
      published: a.published,
      author: a.author.name,
    }))
}

describe('hostile content', () => {
  it(`loads all ${Object.keys(HOSTILE_ARTICLES).length} hostile articles`, () => {
    expect(bundle.stored.length).toBe(Object.keys(HOSTILE_ARTICLES).length + 1)
  })

  it('keeps every feed well-formed and valid in every format (fast-xml-parser, xmllint RELAX NG, RFC 4287 rules, JSON Feed schema, feedparser)', () => {
    for (const feed of listFeeds(bundle.content)) {
      const rss = bodies.get(`${feed.path}|rss.xml`) as string
      const atom = bodies.get(`${feed.path}|atom.xml`) as string
      const json = bodies.get(`${feed.path}|feed.json`) as string
      expect(checkWellFormed(rss), feed.path).toBe(true)
      expect(checkWellFormed(atom), feed.path).toBe(true)
      expect(checkAtomRelaxNg(atom), feed.path).toBe('')
      expect(checkAtomRules(atom), feed.path).toEqual([])
      expect(checkJsonFeed(JSON.parse(json)), feed.path).toEqual([])
      for (const xml of [rss, atom]) {
        const parsed = parseWithFeedparser(xml)
        expect(parsed.bozo, `${feed.path}: ${parsed.bozo_exception}`).toBe(false)
      }
    }
  })

  it('lets every independent reader see the same ids, titles, links, dates and authors', async () => {
    for (const feed of listFeeds(bundle.content)) {
      const want = expected(feed.path)
      const stripped = want.map((item) => ({
        ...item,
        title: strip(item.title),
        author: strip(item.author ?? ''),
      }))
      const rss = bodies.get(`${feed.path}|rss.xml`) as string
      const atom = bodies.get(`${feed.path}|atom.xml`) as string
      const json = bodies.get(`${feed.path}|feed.json`) as string
      expect(readWithFeedparser(atom), `feedparser atom ${feed.path}`).toEqual(stripped)
      expect(readWithFeedparser(rss), `feedparser rss ${feed.path}`).toEqual(stripped)
      expect(await readWithRssParser(rss), `rss-parser rss ${feed.path}`).toEqual(want)
      expect(await readWithRssParser(atom), `rss-parser atom ${feed.path}`).toEqual(want)
      expect(readWithFeedsmith(rss, 'rss'), `feedsmith rss ${feed.path}`).toEqual(want)
      expect(readWithFeedsmith(atom, 'atom'), `feedsmith atom ${feed.path}`).toEqual(want)
      expect(readWithFeedsmith(json, 'json'), `feedsmith json ${feed.path}`).toEqual(want)
      expect(
        readWithExtractor(json, 'json').map((i) => i.id),
        `extractor json ${feed.path}`,
      ).toEqual(want.map((i) => i.id))
    }
  })

  // The article HTML of a feed: every CDATA section of the XML formats, content_html of JSON.
  function articleHtml(key: string, body: string): string {
    if (key.endsWith('.json'))
      return (JSON.parse(body).items as { content_html: string }[])
        .map((i) => i.content_html)
        .join('\n')
    return [...body.matchAll(/<!\[CDATA\[([\s\S]*?)\]\]>/g)].map((m) => m[1]).join('')
  }

  it('carries no script, iframe, object, event handler or javascript: URL in any article HTML', () => {
    for (const [key, body] of bodies) {
      expect(articleHtml(key, body), key).not.toMatch(
        /<(script|iframe|object|embed|svg|form|style)[\s>]|\son[a-z]+=|javascript:|style=/i,
      )
    }
  })

  it('makes every URL in article HTML absolute', () => {
    const atom = bodies.get('|atom.xml') as string
    const hrefs = [...articleHtml('|atom.xml', atom).matchAll(/(?:href|src)="([^"]*)"/g)].map(
      (m) => m[1] as string,
    )
    expect(hrefs.length).toBeGreaterThan(10)
    for (const href of hrefs) expect(href, href).toMatch(/^https?:\/\/|^urn:/)
    expect(atom).toContain('href="https://elsewhere.test/x"')
    expect(atom).toContain(
      '<link rel="enclosure" type="image/jpeg" length="12345" href="https://cdn.test/pic.jpg"/>',
    )
  })
})
