import { XMLParser } from 'fast-xml-parser'
import { beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/routes/app'
import { makeArticle, makeAuthor, makeCategory, makeSite } from '../helpers/builders'
import { bareStore } from '../helpers/stores'
import { checkSitemapSchema } from '../helpers/validators'

// An archive of 100,001 articles two seconds apart (55 hours), the newest scheduled a minute
// after NOW, one old article edited an hour before NOW; with empty fragments, its records
// counted as they are read.
const NOW = Date.parse('2026-12-01T00:00:00Z')
const ARTICLES = 100_001
const EDITED = ARTICLES - 11
const ORIGIN = 'http://127.0.0.1:8787'
const parser = new XMLParser({ isArray: (name) => ['url', 'sitemap'].includes(name) })

const author = makeAuthor()
const category = makeCategory()
const articles = Array.from({ length: ARTICLES }, (_, i) => {
  const published = new Date(i === 0 ? NOW + 60_000 : NOW - i * 2_000).toISOString()
  const updated = i === EDITED ? new Date(NOW - 3_600_000).toISOString() : published
  return makeArticle({
    slug: `story-${i}`,
    published,
    updated,
    author,
    categories: [category],
    tags: [],
  })
})
let reads: { count: number }
let clock = NOW
let app: ReturnType<typeof createApp>

beforeAll(() => {
  const catalog = {
    site: makeSite(),
    authors: [author],
    categories: [category],
    tags: [],
    curated: [],
  }
  const bare = bareStore(catalog, articles, NOW)
  reads = bare.reads
  app = createApp(() => bare.store, { clock: () => clock })
}, 60_000)

async function text(path: string, at = NOW): Promise<string> {
  clock = at
  const response = await app.request(`${ORIGIN}${path}`)
  expect(response.status, path).toBe(200)
  return response.text()
}

const slugsOf = (xml: string): string[] =>
  (parser.parse(xml).urlset.url as { loc: string }[]).map((u) =>
    u.loc.slice(`${ORIGIN}/articles/`.length, -1),
  )

describe('sitemaps of an archive past 50,000 articles', () => {
  it('splits it into sitemaps of 50,000 counted from the oldest, reading no article record', async () => {
    const index = parser.parse(await text('/sitemap.xml')).sitemapindex.sitemap
    expect(index.map((s: { loc: string }) => s.loc)).toEqual([
      `${ORIGIN}/sitemaps/articles-1.xml`,
      `${ORIGIN}/sitemaps/articles-2.xml`,
    ])
    const first = await text('/sitemaps/articles-1.xml')
    const second = await text('/sitemaps/articles-2.xml')
    expect(checkSitemapSchema(first, 'sitemap.xsd')).toBe('')
    expect(checkSitemapSchema(second, 'sitemap.xsd')).toBe('')
    // The oldest 50,000 in the first, newest first within each; the scheduled one in neither.
    const slugs = [...slugsOf(second), ...slugsOf(first)]
    expect(slugs).toEqual(articles.slice(1).map((a) => a.slug))
    expect(index[0].lastmod).toBe(articles[EDITED]?.updated.replace('.000Z', 'Z'))
    expect(index[1].lastmod).toBe(articles[1]?.published.replace('.000Z', 'Z'))
    expect((await app.request(`${ORIGIN}/sitemaps/articles-3.xml`)).status).toBe(404)
    expect(reads.count).toBe(0)
  })

  it('fills a new last sitemap when an article appears, the full ones keeping their URLs and lastmod', async () => {
    const at = Date.parse(articles[0]?.published as string)
    const before = await text('/sitemap.xml', at - 1)
    const after = parser.parse(await text('/sitemap.xml', at)).sitemapindex.sitemap
    expect(after).toHaveLength(3)
    expect(after.slice(0, 2)).toEqual(parser.parse(before).sitemapindex.sitemap)
    expect(slugsOf(await text('/sitemaps/articles-3.xml', at))).toEqual(['story-0'])
    for (const n of [1, 2])
      expect(await text(`/sitemaps/articles-${n}.xml`, at)).toBe(
        await text(`/sitemaps/articles-${n}.xml`, at - 1),
      )
    expect(reads.count).toBe(0)
  })

  it('holds the newest 1,000 in the news sitemap, reading only their records', async () => {
    const xml = await text('/news-sitemap.xml')
    expect(checkSitemapSchema(xml, 'urlset-with-news.xsd')).toBe('')
    expect(slugsOf(xml)).toEqual(articles.slice(1, 1001).map((a) => a.slug))
    expect(reads.count).toBe(1000)
    // Fresh until the scheduled article appears; the 1,000th is 48 hours old much later.
    clock = NOW
    const response = await app.request(`${ORIGIN}/news-sitemap.xml`)
    expect(response.headers.get('cache-control')).toBe('public, max-age=60, stale-if-error=86400')
  })
})
