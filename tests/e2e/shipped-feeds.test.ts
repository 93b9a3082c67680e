import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compileContent, readContentFiles } from '../../scripts/content-files'
import { listFeeds } from '../../src/model/feeds'
import { checkAge } from '../../src/profiles/check'
import { encodePath } from '../../src/render/document'
import { FORMATS, formatsOf } from '../../src/render/formats'
import { NEWS_WINDOW } from '../../src/routes/news-sitemap'
import { feedArticles } from '../helpers/app'
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
  checkSitemapSchema,
  checkWellFormed,
  parseWithFeedparser,
} from '../helpers/validators'
import { type RunningWorker, startWorker } from '../helpers/worker'

// What `npm run build` compiled, seen at the clock of this run (the Worker reads the real one).
const now = Date.now()
const bundle = await compileContent(await readContentFiles(), { now })
const feeds = listFeeds(bundle.content)

let worker: RunningWorker
const bodies = new Map<string, string>()
const unservedStatus = new Map<string, number>()

beforeAll(async () => {
  worker = await startWorker()
  for (const feed of feeds) {
    for (const format of formatsOf(feed)) {
      const path = `/${feed.path ? `${encodePath(feed.path)}/` : ''}${format.file}`
      const response = await worker.get(path)
      expect(response.status, path).toBe(200)
      expect(response.headers.get('content-type')).toBe(`${format.mediaType}; charset=utf-8`)
      bodies.set(`${feed.path}|${format.name}`, await response.text())
    }
    for (const format of FORMATS.filter((f) => !formatsOf(feed).includes(f))) {
      const path = `/${feed.path ? `${encodePath(feed.path)}/` : ''}${format.file}`
      unservedStatus.set(`${feed.path}|${format.name}`, (await worker.get(path)).status)
    }
  }
}, 60_000)

afterAll(() => worker?.dispose())

// What a feed must hold: its articles newest first; for an aggregator profile, only those that
// break none of its hard rules today, within its window.
function expected(path: string): SeenItem[] {
  const feed = feeds.find((f) => f.path === path)
  const rules = feed?.profile
  const window = rules ? rules.maxItems : bundle.content.site.defaultItems
  const articles = feedArticles(bundle, path, now)
  const eligible = rules
    ? articles.filter(
        (a) =>
          !JSON.parse(a.fragments[`violations@${rules.id}`] ?? 'null').some(
            (v: { hard: boolean }) => v.hard,
          ) && !checkAge(rules, a.published, now),
      )
    : articles
  return eligible.slice(0, window).map((a) => ({
    id: a.id,
    title: a.title,
    link: a.url,
    published: a.published,
    author: a.author.name,
  }))
}

const withoutAuthor = (items: SeenItem[]) => items.map(({ author: _author, ...rest }) => rest)

describe('shipped OPML', () => {
  it('is well-formed and every xmlUrl and htmlUrl it lists answers 200', async () => {
    const opml = await (await worker.get('/feeds.opml')).text()
    const tags = await (await worker.get('/tags.opml')).text()
    expect(checkWellFormed(opml)).toBe(true)
    expect(checkWellFormed(tags)).toBe(true)
    const urls = [...`${opml}${tags}`.matchAll(/(?:xmlUrl|htmlUrl)="([^"]+)"/g)].map(
      (m) => m[1] as string,
    )
    // Every feed for people, in one of the two (tags in tags.opml); aggregator variants in neither.
    expect(urls).toHaveLength(feeds.filter((f) => !f.profile).length * 2)
    for (const url of urls) {
      const { pathname, search } = new URL(url)
      expect((await worker.get(pathname + search)).status, url).toBe(200)
    }
  })
})

describe('shipped sitemaps', () => {
  const locsOf = (xml: string, element: 'url' | 'sitemap') =>
    [...xml.matchAll(new RegExp(`<${element}><loc>([^<]+)</loc>`, 'g'))].map((m) => m[1] as string)
  const pathOf = (url: string) => new URL(url).pathname
  const visible = bundle.stored.filter((a) => Date.parse(a.published) <= now)

  it('robots.txt names the sitemap index, whose sitemaps list every visible article', async () => {
    const robots = await (await worker.get('/robots.txt')).text()
    const named = [...robots.matchAll(/^Sitemap: (.+)$/gm)].map((m) => m[1] as string)
    expect(named).toEqual([
      new URL('/sitemap.xml', worker.url).href,
      new URL('/news-sitemap.xml', worker.url).href,
    ])
    const index = await (await worker.get(pathOf(named[0] as string))).text()
    expect(checkSitemapSchema(index, 'siteindex.xsd')).toBe('')
    const listed: string[] = []
    for (const sitemap of locsOf(index, 'sitemap')) {
      const xml = await (await worker.get(pathOf(sitemap))).text()
      expect(checkSitemapSchema(xml, 'sitemap.xsd'), sitemap).toBe('')
      listed.push(...locsOf(xml, 'url'))
    }
    expect(listed.map(pathOf)).toEqual(visible.map((a) => pathOf(a.url)))
    for (const url of listed) expect((await worker.get(pathOf(url))).status, url).toBe(200)
  })

  it('the news sitemap holds the articles of the last 48 hours, valid against the news schema', async () => {
    const xml = await (await worker.get('/news-sitemap.xml')).text()
    expect(checkWellFormed(xml)).toBe(true)
    const recent = visible.filter((a) => Date.parse(a.published) > now - NEWS_WINDOW)
    expect(locsOf(xml, 'url').map(pathOf)).toEqual(recent.slice(0, 1000).map((a) => pathOf(a.url)))
    // An empty news sitemap is well-formed and what Google expects, but sitemap.xsd wants a URL.
    if (recent.length > 0) expect(checkSitemapSchema(xml, 'urlset-with-news.xsd')).toBe('')
  })
})

describe.each(feeds.map((f) => [f.path || '(site)', f] as const))(
  'shipped feed %s',
  (_label, feed) => {
    const path = feed.path
    const body = (format: string) => bodies.get(`${path}|${format}`) as string
    const selfUrl = (file: string) =>
      new URL(`${path ? `${encodePath(path)}/` : ''}${file}`, worker.url).href
    const served = formatsOf(feed).map((format) => format.name)
    const serves = (format: string) => served.includes(format as 'rss')

    it('names itself and links rel=self to the URL it was fetched from, in every format', () => {
      for (const [format, file] of [
        ['rss', 'rss.xml'],
        ['atom', 'atom.xml'],
      ] as const) {
        if (!serves(format)) continue
        const parsed = parseWithFeedparser(body(format))
        expect(parsed.feed.title).toBe(feed.title)
        expect(parsed.feed.links.filter((l) => l.rel === 'self').map((l) => l.href)).toEqual([
          selfUrl(file),
        ])
      }
      if (!serves('json')) return
      const json = JSON.parse(body('json'))
      expect(json.title).toBe(feed.title)
      expect(json.feed_url).toBe(selfUrl('feed.json'))
    })

    it('RSS is well-formed, bozo-free, and every reader sees the source articles', async () => {
      const xml = body('rss')
      expect(checkWellFormed(xml)).toBe(true)
      const parsed = parseWithFeedparser(xml)
      expect(parsed.bozo, parsed.bozo_exception).toBe(false)
      expect(parsed.version).toBe('rss20')
      expect(readWithFeedparser(xml)).toEqual(expected(path))
      expect(await readWithRssParser(xml)).toEqual(expected(path))
      expect(readWithFeedsmith(xml, 'rss')).toEqual(expected(path))
      expect(readWithExtractor(xml, 'rss')).toEqual(withoutAuthor(expected(path)))
    })

    if (serves('atom'))
      it('Atom passes RELAX NG and RFC 4287 rules, and every reader sees the source articles', async () => {
        const xml = body('atom')
        expect(checkWellFormed(xml)).toBe(true)
        expect(checkAtomRelaxNg(xml)).toBe('')
        expect(checkAtomRules(xml)).toEqual([])
        const parsed = parseWithFeedparser(xml)
        expect(parsed.bozo, parsed.bozo_exception).toBe(false)
        expect(parsed.version).toBe('atom10')
        expect(readWithFeedparser(xml)).toEqual(expected(path))
        expect(await readWithRssParser(xml)).toEqual(expected(path))
        expect(readWithFeedsmith(xml, 'atom')).toEqual(expected(path))
        expect(readWithExtractor(xml, 'atom')).toEqual(withoutAuthor(expected(path)))
      })

    if (serves('json'))
      it('JSON Feed passes the 1.1 schema and every reader sees the source articles', () => {
        const json = body('json')
        expect(checkJsonFeed(JSON.parse(json))).toEqual([])
        expect(readWithFeedsmith(json, 'json')).toEqual(expected(path))
        expect(readWithExtractor(json, 'json')).toEqual(withoutAuthor(expected(path)))
      })

    if (served.length > 1)
      it('lists the same items in the same order in every format it is served in', () => {
        const ids = served.map((f) => readWithFeedsmith(body(f), f).map((i) => i.id))
        for (const other of ids.slice(1)) expect(other).toEqual(ids[0])
      })

    // An aggregator that takes only RSS gets no Atom or JSON twin to pick up by mistake.
    const unserved = FORMATS.filter((f) => !serves(f.name)).map((f) => f.name)
    if (unserved.length > 0)
      it(`answers 404 for ${unserved.join(' and ')}, which it is not served in`, () => {
        for (const format of unserved)
          expect(unservedStatus.get(`${path}|${format}`), format).toBe(404)
      })
  },
)
