import { XMLParser } from 'fast-xml-parser'
import { beforeAll, describe, expect, it } from 'vitest'
import { formatHttpDate } from '../../src/render/dates'
import { createApp } from '../../src/routes/app'
import { NEWS_WINDOW, newsWindow } from '../../src/routes/news-sitemap'
import type { ListedArticle } from '../../src/store/types'
import { appFor } from '../helpers/app'
import { articleFile, contentFiles, TEST_NOW } from '../helpers/content'
import { checkSitemapSchema } from '../helpers/validators'

const NOW = TEST_NOW
const MINUTE = 60_000
const HOUR = 60 * MINUTE
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z')

// An article edited since; three of the last 48 hours, one of them 48 hours old a minute from
// NOW; one exactly 48 hours old at NOW; one scheduled two minutes ahead.
const ARTICLES = {
  engines: { published: '2026-01-02T03:04:05Z', updated: '2026-06-01T00:00:00Z' },
  gone: { published: iso(NOW - NEWS_WINDOW) },
  edge: { published: iso(NOW - NEWS_WINDOW + MINUTE) },
  'bits-and-bytes': { published: iso(NOW - 47 * HOUR), title: '"Bits & <bytes>"' },
  latest: { published: iso(NOW - HOUR) },
  embargoed: { published: iso(NOW + 2 * MINUTE) },
} as Record<string, Record<string, string>>
const FILES = contentFiles(
  Object.fromEntries(
    Object.entries(ARTICLES).map(([slug, fields], i) => [
      `content/articles/${slug}.md`,
      articleFile({
        id: `urn:uuid:00000000-0000-4000-8000-00000000000${i}`,
        title: `Title of ${slug}`,
        ...fields,
      }),
    ]),
  ),
)
const ORIGIN = 'http://127.0.0.1:8787'
const XML = 'application/xml; charset=utf-8'
const parser = new XMLParser({ isArray: (name) => ['url', 'sitemap'].includes(name) })

let clock = NOW
let app: ReturnType<typeof createApp>

beforeAll(async () => {
  const { store } = await appFor(FILES, NOW)
  app = createApp(() => store, { clock: () => clock })
})

function get(path: string, headers: Record<string, string> = {}, at = NOW) {
  clock = at
  return app.request(path.startsWith('http') ? path : `${ORIGIN}${path}`, { headers })
}

async function urlsOf(path: string, at = NOW): Promise<{ loc: string; lastmod?: string }[]> {
  const response = await get(path, {}, at)
  expect(response.status, path).toBe(200)
  return parser.parse(await response.text()).urlset.url ?? []
}

// A sitemap at NOW: 200, served as XML, valid against `schema`.
async function validXml(path: string, schema: Parameters<typeof checkSitemapSchema>[1]) {
  const response = await get(path)
  expect(response.status, path).toBe(200)
  expect(response.headers.get('content-type'), path).toBe(XML)
  const xml = await response.text()
  expect(checkSitemapSchema(xml, schema), path).toBe('')
  return { response, xml }
}

const slugsOf = (urls: { loc: string }[]) =>
  urls.map((u) => new URL(u.loc).pathname.replace(/^\/articles\/|\/$/g, ''))

describe('/sitemap.xml and the article sitemaps', () => {
  it('names one article sitemap with its newest update, valid against siteindex.xsd', async () => {
    const { xml } = await validXml('/sitemap.xml', 'siteindex.xsd')
    expect(parser.parse(xml).sitemapindex.sitemap).toEqual([
      { loc: `${ORIGIN}/sitemaps/articles-1.xml`, lastmod: ARTICLES.latest?.published },
    ])
  })

  it('lists every visible article on the request origin, its update (else publication) as lastmod', async () => {
    const { xml } = await validXml('/sitemaps/articles-1.xml', 'sitemap.xsd')
    const urls = parser.parse(xml).urlset.url
    expect(urls).toEqual(
      ['latest', 'bits-and-bytes', 'edge', 'gone', 'engines'].map((slug) => ({
        loc: `${ORIGIN}/articles/${slug}/`,
        lastmod: ARTICLES[slug]?.updated ?? ARTICLES[slug]?.published,
      })),
    )
    for (const { loc } of urls) expect((await get(loc)).status, loc).toBe(200)
  })

  it('builds its URLs on the origin the request came to', async () => {
    const index = await (await get('https://mirror.test/sitemap.xml')).text()
    expect(index).toContain('<loc>https://mirror.test/sitemaps/articles-1.xml</loc>')
    const urls = await urlsOf('https://mirror.test/sitemaps/articles-1.xml')
    expect(urls.every((u) => u.loc.startsWith('https://mirror.test/articles/'))).toBe(true)
  })

  it.each([
    '/sitemaps/articles-2.xml',
    '/sitemaps/articles-0.xml',
    '/sitemaps/articles-01.xml',
    '/sitemaps/articles-1.xml/',
    '/sitemaps/news.xml',
  ])('answers %s with 404', async (path) => {
    expect((await get(path)).status).toBe(404)
  })

  it('leaves a scheduled article out until its minute, fresh only until then, and lists it at it', async () => {
    const at = Date.parse(ARTICLES.embargoed?.published as string)
    for (const path of ['/sitemap.xml', '/sitemaps/articles-1.xml']) {
      const before = await get(path, {}, at - 1)
      expect(before.headers.get('cache-control'), path).toBe(
        'public, max-age=0, stale-if-error=86400',
      )
      expect((await get(path, {}, NOW)).headers.get('etag'), path).toBe(before.headers.get('etag'))
      const after = await get(path, {}, at)
      expect(after.headers.get('etag'), path).not.toBe(before.headers.get('etag'))
      expect(after.headers.get('last-modified'), path).toBe(formatHttpDate(iso(at)))
      expect(after.headers.get('cache-control'), path).toBe(
        'public, max-age=300, stale-while-revalidate=600, stale-if-error=86400',
      )
    }
    expect(slugsOf(await urlsOf('/sitemaps/articles-1.xml', at - 1))).not.toContain('embargoed')
    expect(slugsOf(await urlsOf('/sitemaps/articles-1.xml', at))[0]).toBe('embargoed')
    const index = await (await get('/sitemap.xml', {}, at)).text()
    expect(index).toContain(`<lastmod>${iso(at)}</lastmod>`)
  })
})

describe('/news-sitemap.xml', () => {
  it('lists the articles of the last 48 hours, newest first, valid against the news schema', async () => {
    const { response, xml } = await validXml('/news-sitemap.xml', 'urlset-with-news.xsd')
    const urls = parser.parse(xml).urlset.url
    expect(slugsOf(urls)).toEqual(['latest', 'bits-and-bytes', 'edge'])
    expect(urls[1]['news:news']).toEqual({
      'news:publication': { 'news:name': 'The Daily Test', 'news:language': 'en' },
      'news:publication_date': ARTICLES['bits-and-bytes']?.published,
      'news:title': 'Bits & <bytes>',
    })
    // Fresh until its oldest article turns 48 hours old, a minute from now.
    expect(response.headers.get('cache-control')).toBe('public, max-age=60, stale-if-error=86400')
  })

  it('holds an article until the instant it turns 48 hours old, and changes its ETag then only', async () => {
    const gone = Date.parse(ARTICLES.gone?.published as string) + NEWS_WINDOW
    expect(slugsOf(await urlsOf('/news-sitemap.xml', gone - 1))).toContain('gone')
    expect(slugsOf(await urlsOf('/news-sitemap.xml', gone))).not.toContain('gone')

    const leaves = Date.parse(ARTICLES.edge?.published as string) + NEWS_WINDOW
    const first = await get('/news-sitemap.xml', {}, NOW)
    const etag = first.headers.get('etag') as string
    const still = await get('/news-sitemap.xml', { 'if-none-match': etag }, leaves - 1)
    expect(still.status).toBe(304)
    expect(still.headers.get('etag')).toBe(etag)
    const left = await get('/news-sitemap.xml', { 'if-none-match': etag }, leaves)
    expect(left.status).toBe(200)
    expect(left.headers.get('etag')).not.toBe(etag)
    expect(left.headers.get('last-modified')).toBe(formatHttpDate(iso(leaves)))
    expect(slugsOf(parser.parse(await left.text()).urlset.url)).toEqual([
      'latest',
      'bits-and-bytes',
    ])
    // Next: the scheduled article appears, a minute later.
    expect(left.headers.get('cache-control')).toBe('public, max-age=60, stale-if-error=86400')
  })

  it('takes a scheduled article from its minute on', async () => {
    const at = Date.parse(ARTICLES.embargoed?.published as string)
    expect(slugsOf(await urlsOf('/news-sitemap.xml', at - 1))).not.toContain('embargoed')
    expect(slugsOf(await urlsOf('/news-sitemap.xml', at))[0]).toBe('embargoed')
  })

  it('is an empty urlset once every article is older, last modified when the last one left', async () => {
    const quiet = NOW + 3 * 24 * HOUR
    const response = await get('/news-sitemap.xml', {}, quiet)
    const xml = await response.text()
    expect(xml).not.toContain('<url>')
    expect(xml).toContain('xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"')
    const lastLeft = Date.parse(ARTICLES.embargoed?.published as string) + NEWS_WINDOW
    expect(response.headers.get('last-modified')).toBe(formatHttpDate(iso(lastLeft)))
    expect(response.headers.get('cache-control')).toBe(
      'public, max-age=300, stale-while-revalidate=600, stale-if-error=86400',
    )
  })
})

describe('newsWindow', () => {
  const listed = (ms: number, updated = ms): ListedArticle => ({
    id: `urn:uuid:s-${ms}`,
    slug: `s-${ms}`,
    published: new Date(ms).toISOString(),
    updated: new Date(updated).toISOString(),
  })

  it('counts at most 1,000: the 1,001st turning 48 hours old changes nothing', () => {
    const newest = Array.from({ length: 1001 }, (_, i) => listed(NOW - HOUR - i * MINUTE))
    const oldest = Date.parse(newest[1000]?.published as string)
    const before = newsWindow(newest, oldest + NEWS_WINDOW - 1)
    const after = newsWindow(newest, oldest + NEWS_WINDOW)
    expect(before).toEqual(after)
    expect(after.count).toBe(1000)
    expect(after.until).toBe(Date.parse(newest[999]?.published as string) + NEWS_WINDOW)
    expect(after.lastModified).toBe(newest[0]?.updated)
  })

  it('dates its last change by the newest update or the last article to leave', () => {
    const edited = [listed(NOW - HOUR, NOW - 10 * MINUTE), listed(NOW - 50 * HOUR)]
    expect(newsWindow(edited, NOW).lastModified).toBe(new Date(NOW - 10 * MINUTE).toISOString())
    const quiet = [listed(NOW - 47 * HOUR), listed(NOW - NEWS_WINDOW - 30 * MINUTE)]
    expect(newsWindow(quiet, NOW).lastModified).toBe(new Date(NOW - 30 * MINUTE).toISOString())
    expect(newsWindow([], NOW)).toEqual({ count: 0, lastModified: new Date(0).toISOString() })
  })
})

describe('conditional requests', () => {
  it.each(['/sitemap.xml', '/sitemaps/articles-1.xml', '/news-sitemap.xml'])(
    '%s answers 304 to its ETag and to If-Modified-Since, and HEAD without a body',
    async (path) => {
      const response = await get(path)
      const etag = response.headers.get('etag') as string
      const lastModified = response.headers.get('last-modified') as string
      expect(etag).toMatch(/^"[^"]+"$/)
      expect(response.headers.get('access-control-allow-origin')).toBe('*')
      for (const headers of [{ 'if-none-match': etag }, { 'if-modified-since': lastModified }]) {
        const conditional = await get(path, headers)
        expect(conditional.status).toBe(304)
        expect(conditional.headers.get('etag')).toBe(etag)
        expect(conditional.headers.get('last-modified')).toBe(lastModified)
        expect(conditional.headers.get('cache-control')).toBe(response.headers.get('cache-control'))
      }
      expect((await get(path, { 'if-none-match': '"other"' })).status).toBe(200)
      const head = await app.request(`${ORIGIN}${path}`, { method: 'HEAD' })
      expect(head.status).toBe(200)
      expect(head.headers.get('etag')).toBe(etag)
      expect(await head.text()).toBe('')
    },
  )
})

describe('/robots.txt', () => {
  it('allows everything and names both sitemaps on the request origin', async () => {
    const response = await get('https://mirror.test/robots.txt')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    expect(await response.text()).toBe(
      'User-agent: *\nAllow: /\n\nSitemap: https://mirror.test/sitemap.xml\nSitemap: https://mirror.test/news-sitemap.xml\n',
    )
  })

  it('is validated by its ETag alone: it has no date of its own', async () => {
    const response = await get('/robots.txt')
    const etag = response.headers.get('etag') as string
    expect(response.headers.get('last-modified')).toBeNull()
    expect((await get('/robots.txt', { 'if-none-match': etag })).status).toBe(304)
    const since = { 'if-modified-since': formatHttpDate(iso(NOW)) }
    expect((await get('/robots.txt', since)).status).toBe(200)
    // A publish leaves it as it is.
    const at = Date.parse(ARTICLES.embargoed?.published as string)
    expect((await get('/robots.txt', {}, at)).headers.get('etag')).toBe(etag)
  })
})
