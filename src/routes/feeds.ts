import type { Hono, MiddlewareHandler } from 'hono'
import { cachePolicy } from '../http/cache-control'
import { renderFeedChunks } from '../http/encode'
import { HttpError } from '../http/errors'
import { type FeedQuery, formatFeedQuery, parseFeedQuery } from '../http/query'
import { type Resource, serveResource } from '../http/serve'
import { webSubHeaders } from '../http/websub'
import { digestOf } from '../model/digest'
import { type FeedDocument, feedFileUrl, type PageLinks } from '../render/document'
import { type FeedFormat, formatForFile } from '../render/formats'
import { type AppContext, type AppEnv, feedAt, serveContext } from './context'
import { serveProfileFeed } from './profile-feeds'
import { buildRevision } from './revision'

const FEED_FILE = '{(?:rss\\.xml|atom\\.xml|feed\\.json)}'
const FEED_KIND = '{(?:categories|authors|tags|feeds)}'

// RFC 5005 §3: first/previous/next/last, each a full URL of the same view size.
function pageLinks(
  fileUrl: string,
  query: FeedQuery,
  total: number,
  defaultLimit: number,
): PageLinks | undefined {
  const pages = Math.max(1, Math.ceil(total / query.limit))
  if (pages === 1 && query.page === 1) return undefined
  const at = (page: number) => fileUrl + formatFeedQuery({ limit: query.limit, page }, defaultLimit)
  return {
    first: at(1),
    ...(query.page > 1 ? { previous: at(Math.min(query.page - 1, pages)) } : {}),
    ...(query.page < pages ? { next: at(query.page + 1) } : {}),
    last: at(pages),
  }
}

async function serveFeed(c: AppContext, path: string, format: FeedFormat): Promise<Response> {
  const store = c.get('store')
  const now = c.get('now')
  const feed = await feedAt(store, path, now)
  if (!feed) throw new HttpError(404, 'no such feed')
  const catalog = await store.catalog(now)
  const site = catalog.site
  // An aggregator reads a profile feed without ?limit: its whole window is the default.
  const defaultLimit = feed.profile ? feed.maxItems : Math.min(site.defaultItems, feed.maxItems)
  const url = new URL(c.req.url)
  const query = parseFeedQuery(url.searchParams, defaultLimit, feed.maxItems)
  const fileUrl = feedFileUrl(url.origin, feed, format.file)
  const selfUrl = fileUrl + formatFeedQuery(query, defaultLimit)
  // One URL per view: other spellings of the query (defaults, order, unknown parameters) are
  // sent to the canonical one, so the self link always equals the URL that was fetched.
  if (url.search !== formatFeedQuery(query, defaultLimit)) return c.redirect(selfUrl, 301)
  if (feed.profile) return serveProfileFeed(c, catalog, feed, format, query, selfUrl)
  const state = await store.state(feed, now)
  const resource: Resource = {
    canonicalUrl: selfUrl,
    revision: buildRevision({
      build: store.build(),
      head: digestOf(site, feed),
      content: [state.revision],
    }),
    lastModified: state.updated,
    cache: cachePolicy(site),
    cors: true,
    headers: webSubHeaders(site.hub, selfUrl),
    render: async () => {
      const offset = (query.page - 1) * query.limit
      const page = await store.items(feed, offset, query.limit, format.name, now)
      if (query.page > 1 && page.items.length === 0)
        throw new HttpError(404, 'no such page: the feed ends before it')
      const paging = pageLinks(fileUrl, query, page.total, defaultLimit)
      const doc: FeedDocument = {
        site,
        feed,
        selfUrl,
        updated: state.updated,
        ...(paging ? { paging } : {}),
      }
      return {
        body: renderFeedChunks(format, doc, page.items),
        contentType: `${format.mediaType}; charset=utf-8`,
      }
    },
  }
  return serveResource(c.req.raw, resource, await serveContext(c, site))
}

/**
 * Feed routes: `/rss.xml` … and `/{categories|authors|tags|feeds}/{slug}/rss.xml` …, each
 * behind `around` (the statistics, which see every answer whatever layer gave it).
 */
export function addFeedRoutes(app: Hono<AppEnv>, around: MiddlewareHandler<AppEnv>): void {
  app.get(`/:file${FEED_FILE}`, around, (c) =>
    serveFeed(c, '', formatForFile(c.req.param('file')) as FeedFormat),
  )
  app.get(`/:kind${FEED_KIND}/:slug/:file${FEED_FILE}`, around, (c) => {
    const { kind, slug, file } = c.req.param()
    return serveFeed(c, `${kind}/${slug}`, formatForFile(file) as FeedFormat)
  })
}
