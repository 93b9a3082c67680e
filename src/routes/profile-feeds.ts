import { cachePolicy } from '../http/cache-control'
import { assembleChunks } from '../http/encode'
import { HttpError } from '../http/errors'
import type { FeedQuery } from '../http/query'
import { type Resource, serveResource } from '../http/serve'
import { webSubHeaders } from '../http/websub'
import { digestOf } from '../model/digest'
import type { Catalog } from '../model/feeds'
import type { ProfileRules } from '../model/profile'
import type { FeedDefinition } from '../model/types'
import { dayOf, profileFeed } from '../profiles/feed'
import type { FeedFormat } from '../render/formats'
import { type AppContext, serveContext } from './context'
import { buildRevision } from './revision'

/**
 * Serves an aggregator feed: one page, only in the formats the aggregator takes (others 404).
 * When age matters, the day is part of the revision, so caches turn over at midnight UTC.
 */
export async function serveProfileFeed(
  c: AppContext,
  catalog: Catalog,
  feed: FeedDefinition,
  format: FeedFormat,
  query: FeedQuery,
  selfUrl: string,
): Promise<Response> {
  const rules = feed.profile as ProfileRules
  if (!(rules.formats as readonly string[]).includes(format.name))
    throw new HttpError(
      404,
      `${rules.name} takes ${rules.formats.join(' and ').toUpperCase()} only`,
    )
  if (query.page > 1) throw new HttpError(404, 'aggregator feeds have one page')
  const store = c.get('store')
  const now = c.get('now')
  const site = catalog.site
  const state = await store.state(feed, now)
  const resource: Resource = {
    canonicalUrl: selfUrl,
    revision: buildRevision({
      build: store.build(),
      head: digestOf(site, feed),
      content: [state.revision, dayOf(feed, now)],
    }),
    lastModified: state.updated,
    cache: cachePolicy(site),
    cors: true,
    headers: webSubHeaders(site.hub, selfUrl),
    render: async () => {
      const doc = { site, feed, selfUrl, updated: state.updated }
      const { chunks, kept } = await profileFeed(store, doc, format, now, query.limit)
      return {
        body: assembleChunks(chunks.head, kept, chunks.separator, chunks.tail),
        contentType: `${format.mediaType}; charset=utf-8`,
      }
    },
  }
  return serveResource(c.req.raw, resource, await serveContext(c, site))
}
