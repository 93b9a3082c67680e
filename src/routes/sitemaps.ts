import type { Hono } from 'hono'
import { textBody } from '../http/encode'
import { HttpError } from '../http/errors'
import type { Rendered } from '../http/serve'
import type { Catalog } from '../model/feeds'
import { findFeed } from '../model/feeds'
import type { FeedDefinition } from '../model/types'
import { articleUrl } from '../model/url'
import { renderRobots } from '../render/robots'
import { MAX_SITEMAP_URLS, renderSitemapIndex, renderUrlset } from '../render/sitemap'
import type { ListedArticle } from '../store/types'
import type { AppContext, AppEnv } from './context'
import { newsSitemap } from './news-sitemap'
import { type PageState, servePage } from './page'

/** How many article sitemaps `total` visible articles take: one at least, empty or not. */
export function sitemapCount(total: number): number {
  return Math.max(1, Math.ceil(total / MAX_SITEMAP_URLS))
}

/**
 * Article sitemap `n` (from 1) holds the n-th MAX_SITEMAP_URLS articles counted from the oldest,
 * so that a full sitemap keeps its URLs, and its `lastmod` in the index, while new articles fill
 * the last one. As a slice of the store's listing, which runs newest first:
 */
export function sitemapSlice(n: number, total: number): { offset: number; limit: number } {
  const end = total - (n - 1) * MAX_SITEMAP_URLS
  const offset = Math.max(0, end - MAX_SITEMAP_URLS)
  return { offset, limit: Math.max(0, end - offset) }
}

function sitemapUrl(origin: string, n: number): string {
  return `${origin}/sitemaps/articles-${n}.xml`
}

function newestUpdate(articles: readonly ListedArticle[]): string | undefined {
  const newest = articles.reduce((max, a) => Math.max(max, Date.parse(a.updated)), 0)
  return articles.length > 0 ? new Date(newest).toISOString() : undefined
}

function xmlBody(xml: string): Rendered {
  return { body: textBody(xml), contentType: 'application/xml; charset=utf-8' }
}

/**
 * What every article sitemap and the index are made of: the site feed, whose revision changes
 * when an article appears, leaves or is edited, and whose next scheduled minute caps freshness,
 * as for the feed itself; and how many articles it shows.
 */
async function siteList(
  c: AppContext,
  catalog: Catalog,
): Promise<Omit<PageState, 'render'> & { total: number }> {
  const store = c.get('store')
  const now = c.get('now')
  const site = findFeed(catalog, '') as FeedDefinition
  const [state, { total }] = await Promise.all([store.state(site, now), store.listing(0, 0, now)])
  return {
    total,
    parts: [state.revision],
    lastModified: state.updated,
  }
}

/** `/sitemap.xml`: the sitemap index, each article sitemap with its newest article update. */
function sitemapIndex(c: AppContext) {
  return servePage(c, '/sitemap.xml', { html: false }, async (catalog, origin) => {
    const { total, ...list } = await siteList(c, catalog)
    return {
      ...list,
      render: async () => {
        const sitemaps = []
        // One sitemap's listing at a time: the index reads every article's dates, never at once.
        for (let n = 1; n <= sitemapCount(total); n++) {
          const { offset, limit } = sitemapSlice(n, total)
          const { articles } = await c.get('store').listing(offset, limit, c.get('now'))
          const lastmod = newestUpdate(articles)
          sitemaps.push({ loc: sitemapUrl(origin, n), ...(lastmod ? { lastmod } : {}) })
        }
        return xmlBody(renderSitemapIndex(sitemaps))
      },
    }
  })
}

/** `/sitemaps/articles-{n}.xml`: the articles of sitemap `n`, each with its last update. */
function articleSitemap(c: AppContext, n: number) {
  return servePage(c, `/sitemaps/articles-${n}.xml`, { html: false }, async (catalog, origin) => {
    const { total, ...list } = await siteList(c, catalog)
    if (n > sitemapCount(total)) throw new HttpError(404, 'no such sitemap')
    return {
      ...list,
      render: async () => {
        const { offset, limit } = sitemapSlice(n, total)
        const { articles } = await c.get('store').listing(offset, limit, c.get('now'))
        const urls = articles.map((a) => ({ loc: articleUrl(origin, a.slug), lastmod: a.updated }))
        return xmlBody(renderUrlset(urls))
      },
    }
  })
}

/**
 * `/robots.txt`: everything allowed, both sitemaps named on the request's origin. Its text
 * follows the code alone: it has no Last-Modified, and its ETag changes with the build.
 */
function robots(c: AppContext) {
  return servePage(c, '/robots.txt', { html: false }, async (_catalog, origin) => ({
    parts: [],
    render: async () => ({
      body: textBody(renderRobots([`${origin}/sitemap.xml`, `${origin}/news-sitemap.xml`])),
      contentType: 'text/plain; charset=utf-8',
    }),
  }))
}

/** The sitemap index, the article sitemaps, the Google News sitemap and robots.txt. */
export function addSitemapRoutes(app: Hono<AppEnv>): void {
  app.get('/robots.txt', robots)
  app.get('/sitemap.xml', sitemapIndex)
  app.get('/sitemaps/:file{articles-[1-9][0-9]{0,8}\\.xml}', (c) =>
    articleSitemap(c, Number(c.req.param('file').slice('articles-'.length, -'.xml'.length))),
  )
  app.get('/news-sitemap.xml', newsSitemap)
}
