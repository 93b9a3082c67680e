import { XMLParser } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { articleUrl } from '../../src/model/url'
import { renderRobots } from '../../src/render/robots'
import {
  MAX_SITEMAP_BYTES,
  MAX_SITEMAP_URLS,
  newsLanguage,
  renderNewsSitemap,
  renderSitemapIndex,
  renderUrlset,
} from '../../src/render/sitemap'
import { checkSitemapSchema, checkWellFormed } from '../helpers/validators'

const ORIGIN = 'https://news.test'
const parser = new XMLParser({ isArray: (name) => ['url', 'sitemap'].includes(name) })
const PUBLICATION = { name: 'The Daily Test', language: 'en' }

describe('renderUrlset', () => {
  it('lists each URL with its update as a W3C datetime, valid against sitemap.xsd', () => {
    const xml = renderUrlset([
      { loc: articleUrl(ORIGIN, 'engines'), lastmod: '2026-03-01T10:20:30.456Z' },
      { loc: articleUrl(ORIGIN, 'été-à-paris'), lastmod: '2026-02-01T00:00:00.000Z' },
    ])
    expect(checkSitemapSchema(xml, 'sitemap.xsd')).toBe('')
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' +
        '<url><loc>https://news.test/articles/engines/</loc><lastmod>2026-03-01T10:20:30Z</lastmod></url>\n' +
        '<url><loc>https://news.test/articles/%C3%A9t%C3%A9-%C3%A0-paris/</loc><lastmod>2026-02-01T00:00:00Z</lastmod></url>\n' +
        '</urlset>\n',
    )
  })

  it('escapes what XML reserves in a URL and drops what it forbids', () => {
    const xml = renderUrlset([
      { loc: 'https://news.test/a?b=1&c=<2>\u0001', lastmod: '2026-03-01T00:00:00.000Z' },
    ])
    expect(checkWellFormed(xml)).toBe(true)
    expect(xml).toContain('<loc>https://news.test/a?b=1&amp;c=&lt;2&gt;</loc>')
    expect(parser.parse(xml).urlset.url[0].loc).toBe('https://news.test/a?b=1&c=<2>')
  })

  it('keeps 50,000 URLs of the longest slug under 50 MB on an origin of 75 characters', () => {
    // A slug is at most 100 characters; three-byte letters take the most once percent-encoded.
    const origin = `https://${'a'.repeat(75 - 'https://.test'.length)}.test`
    expect(origin).toHaveLength(75)
    const url = { loc: articleUrl(origin, '語'.repeat(100)), lastmod: '2026-03-01T00:00:00Z' }
    const xml = renderUrlset(Array.from({ length: MAX_SITEMAP_URLS }, () => url))
    expect(Buffer.byteLength(xml)).toBeLessThanOrEqual(MAX_SITEMAP_BYTES)
  })
})

describe('renderSitemapIndex', () => {
  it('names each sitemap with its newest update, valid against siteindex.xsd', () => {
    const xml = renderSitemapIndex([
      { loc: `${ORIGIN}/sitemaps/articles-1.xml`, lastmod: '2026-01-31T23:59:59.999Z' },
      { loc: `${ORIGIN}/sitemaps/articles-2.xml`, lastmod: '2026-03-01T00:00:00.000Z' },
    ])
    expect(checkSitemapSchema(xml, 'siteindex.xsd')).toBe('')
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' +
        '<sitemap><loc>https://news.test/sitemaps/articles-1.xml</loc><lastmod>2026-01-31T23:59:59Z</lastmod></sitemap>\n' +
        '<sitemap><loc>https://news.test/sitemaps/articles-2.xml</loc><lastmod>2026-03-01T00:00:00Z</lastmod></sitemap>\n' +
        '</sitemapindex>\n',
    )
  })

  it('gives a sitemap with no URL no lastmod', () => {
    const xml = renderSitemapIndex([{ loc: `${ORIGIN}/sitemaps/articles-1.xml` }])
    expect(checkSitemapSchema(xml, 'siteindex.xsd')).toBe('')
    expect(xml).not.toContain('<lastmod>')
  })
})

describe('renderNewsSitemap', () => {
  const article = {
    loc: articleUrl(ORIGIN, 'engines'),
    published: '2026-03-01T08:00:00.000Z',
    title: 'Engines of change',
  }

  it('gives every article the publication, its publication date and title, valid against the news schema', () => {
    const xml = renderNewsSitemap(PUBLICATION, [article, { ...article, loc: `${ORIGIN}/x/` }])
    expect(checkSitemapSchema(xml, 'urlset-with-news.xsd')).toBe('')
    expect(xml.split('\n').slice(0, 3)).toEqual([
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">',
      '<url><loc>https://news.test/articles/engines/</loc><news:news><news:publication><news:name>The Daily Test</news:name><news:language>en</news:language></news:publication><news:publication_date>2026-03-01T08:00:00Z</news:publication_date><news:title>Engines of change</news:title></news:news></url>',
    ])
  })

  it('escapes the title and the publication name, and drops what XML forbids', () => {
    const xml = renderNewsSitemap({ name: 'A & B <News>', language: 'en' }, [
      { ...article, title: 'Bits & <bytes>\u000b "quoted" ]]>' },
    ])
    expect(checkSitemapSchema(xml, 'urlset-with-news.xsd')).toBe('')
    const news = parser.parse(xml).urlset.url[0]['news:news']
    expect(news['news:publication']['news:name']).toBe('A & B <News>')
    expect(news['news:title']).toBe('Bits & <bytes> "quoted" ]]>')
  })

  it('is an empty urlset, both namespaces declared, when no article is recent', () => {
    const xml = renderNewsSitemap(PUBLICATION, [])
    expect(checkWellFormed(xml)).toBe(true)
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n' +
        '</urlset>\n',
    )
  })
})

describe('newsLanguage', () => {
  it.each([
    ['en-US', 'en'],
    ['en', 'en'],
    ['pt-BR', 'pt'],
    ['es-419', 'es'],
    ['fil-PH', 'fil'],
    ['sr-Latn-RS', 'sr'],
    ['zh', 'zh-cn'],
    ['zh-CN', 'zh-cn'],
    ['zh-SG', 'zh-cn'],
    ['zh-Hans', 'zh-cn'],
    ['zh-Hans-HK', 'zh-cn'],
    ['zh-TW', 'zh-tw'],
    ['zh-HK', 'zh-tw'],
    ['zh-MO', 'zh-tw'],
    ['zh-Hant', 'zh-tw'],
    ['zh-Hant-CN', 'zh-tw'],
  ])('gives Google %s as %s', (tag, code) => {
    expect(newsLanguage(tag)).toBe(code)
    expect(code).toMatch(/^(?:zh-cn|zh-tw|[a-z]{2,3})$/)
  })
})

describe('renderRobots', () => {
  it('allows every crawler everything and names each sitemap on a line of its own', () => {
    expect(renderRobots([`${ORIGIN}/sitemap.xml`, `${ORIGIN}/news-sitemap.xml`])).toBe(
      'User-agent: *\nAllow: /\n\nSitemap: https://news.test/sitemap.xml\nSitemap: https://news.test/news-sitemap.xml\n',
    )
  })
})
