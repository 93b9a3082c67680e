import { federationOf } from '../federation/env'
import { handleOf } from '../federation/handles'
import { cachePolicy } from '../http/cache-control'
import { textBody } from '../http/encode'
import { PAGE_CSP } from '../http/headers'
import { type Rendered, type Resource, serveResource } from '../http/serve'
import { digestOf } from '../model/digest'
import type { Catalog } from '../model/feeds'
import type { FeedDefinition } from '../model/types'
import { profileFeed } from '../profiles/feed'
import { encodePath, feedFileUrl, feedPageUrl } from '../render/document'
import { type FeedFormat, formatsOf } from '../render/formats'
import type { FeedEntry } from '../render/html/feed-rows'
import type { FeedLinks } from '../render/html/layout'
import { type AppContext, requestOrigin, serveContext } from './context'
import { buildRevision } from './revision'

/** Headers of every HTML page: our stylesheet and script, nothing from elsewhere. */
const HTML_HEADERS = { 'content-security-policy': PAGE_CSP }

/** Whether this Worker federates (its FEDERATION bindings): pages then show handles. */
export function fediverseOn(c: AppContext): boolean {
  return federationOf(c.env ?? {}) !== undefined
}

/** A feed as pages link it: its page, each of its files, and its handle when it federates. */
export function feedLinks(origin: string, feed: FeedDefinition, fediverse = false): FeedLinks {
  return {
    feed,
    pageUrl: feedPageUrl(origin, feed),
    files: formatsOf(feed).map((format) => ({
      format,
      url: feedFileUrl(origin, feed, format.file),
    })),
    ...(fediverse && !feed.profile ? { handle: `@${handleOf(feed)}@${new URL(origin).host}` } : {}),
  }
}

/** What an aggregator feed holds today: fewer than the articles it selects from. */
export async function heldBy(
  c: AppContext,
  catalog: Catalog,
  feed: FeedDefinition,
  origin: string,
): Promise<Set<string>> {
  const store = c.get('store')
  const now = c.get('now')
  const format = formatsOf(feed)[0] as FeedFormat
  const selfUrl = feedFileUrl(origin, feed, format.file)
  const { updated } = await store.state(feed, now)
  const doc = { site: catalog.site, feed, selfUrl, updated }
  const held = await profileFeed(store, doc, format, now, feed.maxItems)
  return new Set(held.kept.map((item) => item.id))
}

/** Feeds as pages list them: their links and how many articles each holds today. */
export async function feedEntries(
  c: AppContext,
  catalog: Catalog,
  feeds: readonly FeedDefinition[],
  origin: string,
): Promise<FeedEntry[]> {
  const counts = await c.get('store').counts(
    feeds.filter((feed) => !feed.profile),
    c.get('now'),
  )
  return Promise.all(
    feeds.map(async (feed) => ({
      ...feedLinks(origin, feed, fediverseOn(c)),
      count: feed.profile
        ? (await heldBy(c, catalog, feed, origin)).size
        : (counts.get(feed.path) ?? 0),
    })),
  )
}

/** An HTML page's body. */
export function htmlBody(body: string): Rendered {
  return { body: textBody(body), contentType: 'text/html; charset=utf-8' }
}

/** A page's content as the resource knows it before rendering. */
export interface PageState {
  /** What else, beside the build and the site, selects the page's bytes. */
  parts: (string | number | undefined)[]
  /** Absent for text that follows only the code (its ETag, which names the build, validates it). */
  lastModified?: string
  expires?: number
  /** Headers beside the page's own (a paged list's `Link`). */
  headers?: Record<string, string>
  render(): Promise<Rendered>
}

/**
 * Serves a page at `path` (decoded: it is percent-encoded here; a query, when the page has one,
 * is given whole and canonical), or with `html: false` a file for programs (OPML, sitemaps,
 * robots.txt); with `keep: false`, kept in no cache and looked for in none.
 */
export async function servePage(
  c: AppContext,
  path: string,
  options: { html?: boolean; query?: string; keep?: false },
  resolve: (catalog: Catalog, origin: string) => Promise<PageState>,
) {
  const store = c.get('store')
  const catalog = await store.catalog(c.get('now'))
  const origin = requestOrigin(c)
  const page = await resolve(catalog, origin)
  const html = options.html ?? true
  const resource: Resource = {
    canonicalUrl: `${origin}${encodePath(path)}${options.query ?? ''}`,
    // Pages show fediverse handles only when federation is on: a cached copy says which.
    revision: buildRevision({
      build: store.build(),
      head: digestOf(catalog.site, catalog.site),
      content: [fediverseOn(c) ? 'fediverse' : '', ...page.parts],
    }),
    ...(page.lastModified === undefined ? {} : { lastModified: page.lastModified }),
    cache: cachePolicy(catalog.site),
    ...(page.expires === undefined ? {} : { expires: page.expires }),
    // Files for programs are readable cross-origin, and not HTML (no page CSP).
    cors: !html,
    headers: { ...(html ? HTML_HEADERS : {}), ...page.headers },
    render: page.render,
  }
  const context = await serveContext(c, catalog.site)
  return serveResource(c.req.raw, resource, {
    ...context,
    ...(options.keep === false ? { keep: false } : {}),
  })
}
