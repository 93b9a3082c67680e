import { formatRfc3339 } from './dates'
import { escapeText } from './escape'

/**
 * sitemaps.org 0.9, "Sitemap file format": a sitemap holds at most 50,000 URLs and 52,428,800
 * bytes uncompressed. A slug is at most 200 bytes of UTF-8 (src/model/slug.ts: 600 characters
 * percent-encoded), so a `<url>` line here is at most 673 bytes plus the origin: the URL limit
 * binds first for any origin of up to 375 characters.
 */
export const MAX_SITEMAP_URLS = 50_000
export const MAX_SITEMAP_BYTES = 52_428_800

/**
 * Google News sitemaps hold at most 1,000 `<url>` elements
 * (https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap).
 */
export const MAX_NEWS_URLS = 1_000

// `lastmod` (sitemaps.org, "XML tag definitions") and `news:publication_date` are W3C
// Datetimes: formatRfc3339's whole seconds and `Z` is the complete form both take.
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9'
const NEWS_NS = 'http://www.google.com/schemas/sitemap-news/0.9'

/** One sitemap named by a sitemap index. */
export interface IndexedSitemap {
  loc: string
  /** RFC 3339: the newest `lastmod` it holds; absent for a sitemap with no URL. */
  lastmod?: string
}

/** One page a sitemap lists. */
export interface SitemapUrl {
  loc: string
  /** RFC 3339: when the page last changed (an article's update). */
  lastmod: string
}

/** The publication a Google News sitemap speaks for. */
export interface NewsPublication {
  /** As it appears on news.google.com: the site's title. */
  name: string
  /** Google's code for the language (`newsLanguage`). */
  language: string
}

/** One article of a Google News sitemap. */
export interface NewsArticle {
  loc: string
  /** RFC 3339: when it was first published, never when it entered the sitemap. */
  published: string
  title: string
}

/** A sitemap index (sitemaps.org 0.9, "Using Sitemap index files"), a sitemap to a line. */
export function renderSitemapIndex(sitemaps: readonly IndexedSitemap[]): string {
  const lines = sitemaps.map(
    (s) =>
      `<sitemap><loc>${escapeText(s.loc)}</loc>${s.lastmod ? `<lastmod>${formatRfc3339(s.lastmod)}</lastmod>` : ''}</sitemap>\n`,
  )
  return `${DECLARATION}<sitemapindex xmlns="${SITEMAP_NS}">\n${lines.join('')}</sitemapindex>\n`
}

/** A sitemap of pages (sitemaps.org 0.9 `urlset`), a URL to a line. */
export function renderUrlset(urls: readonly SitemapUrl[]): string {
  const lines = urls.map(
    (u) =>
      `<url><loc>${escapeText(u.loc)}</loc><lastmod>${formatRfc3339(u.lastmod)}</lastmod></url>\n`,
  )
  return `${DECLARATION}<urlset xmlns="${SITEMAP_NS}">\n${lines.join('')}</urlset>\n`
}

/**
 * A Google News sitemap: a `urlset` whose every URL carries `news:news` with the publication,
 * the publication date and the title (all required). With no article it is an empty `urlset`:
 * Google's page above says an empty news sitemap causes no problem, though sitemap.xsd, which
 * asks for one `url` at least, does not accept it.
 */
export function renderNewsSitemap(
  publication: NewsPublication,
  articles: readonly NewsArticle[],
): string {
  const head = `<news:publication><news:name>${escapeText(publication.name)}</news:name><news:language>${escapeText(publication.language)}</news:language></news:publication>`
  const lines = articles.map(
    (a) =>
      `<url><loc>${escapeText(a.loc)}</loc><news:news>${head}<news:publication_date>${formatRfc3339(a.published)}</news:publication_date><news:title>${escapeText(a.title)}</news:title></news:news></url>\n`,
  )
  return `${DECLARATION}<urlset xmlns="${SITEMAP_NS}" xmlns:news="${NEWS_NS}">\n${lines.join('')}</urlset>\n`
}

// RFC 5646 §2.2.3, §2.2.4: a script subtag is four letters; these regions write Traditional.
const SCRIPT = /^[a-z]{4}$/
const TRADITIONAL_REGIONS = new Set(['tw', 'hk', 'mo'])

/**
 * `news:language` from the site's BCP 47 tag: the ISO 639 code of two or three letters (`en-US`
 * gives `en`), except Chinese, which Google wants as `zh-cn` (Simplified) or `zh-tw`
 * (Traditional): by the script subtag when there is one, else by the region.
 */
export function newsLanguage(tag: string): string {
  const [language = '', ...subtags] = tag.toLowerCase().split('-')
  if (language !== 'zh') return language
  const script = subtags.find((subtag) => SCRIPT.test(subtag))
  const traditional = script
    ? script === 'hant'
    : subtags.some((subtag) => TRADITIONAL_REGIONS.has(subtag))
  return traditional ? 'zh-tw' : 'zh-cn'
}
