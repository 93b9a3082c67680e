import type { Context } from 'hono'
import type { DeliveryQueue } from '../federation/env'
import type { Limiter } from '../http/brake'
import { defaultEdgeCache } from '../http/edge-cache'
import type { MemoryCache } from '../http/memory-cache'
import type { ServeContext } from '../http/serve'
import { findFeed } from '../model/feeds'
import type { FeedDefinition, Site } from '../model/types'
import type { SqlDatabase } from '../store/d1'
import type { ArticleStore } from '../store/types'

/**
 * Every Worker binding this app reads, as wrangler.toml and `wrangler secret put` declare them
 * (tests/routes/bindings.test.ts holds the two lists equal). Each may be absent: the app says
 * what is missing rather than failing to start.
 */
export interface Bindings {
  /** build/assets: the site's files and the bundled store's article records ([assets]). */
  ASSETS?: Fetcher
  /** The articles' D1 database (the d1 environment only). */
  DB?: SqlDatabase
  /** The feed statistics' D1 database. */
  STATS?: SqlDatabase
  /** The brake on token guessing ([[ratelimits]]). */
  AUTH_LIMITER?: Limiter
  /** Secret keying the daily client hash of the statistics. */
  STATS_SECRET?: string
  /** Secret: the statistics dashboard's read-only token. */
  STATS_TOKEN?: string
  /** Secret: the publish API's token. */
  API_TOKEN?: string
  /** Variable: a WebSub hub that replaces site.yaml's. */
  WEBSUB_HUB?: string
  /** Followers, keys and delivery state of the fediverse actors (federation is off without). */
  FEDERATION?: SqlDatabase
  /** The Queue deliveries to fediverse inboxes go through. */
  FEDERATION_QUEUE?: DeliveryQueue
  /** Variable: `1` lets remote documents come from http and private addresses (development). */
  FEDERATION_DEV?: string
}

/** The Hono environment of every route. */
export interface AppEnv {
  Bindings: Bindings
  /** `now`: the request's instant (ms), read once from the clock when the request arrives. */
  Variables: { store: ArticleStore; memory: MemoryCache; now: number }
}

export type AppContext = Context<AppEnv>

// A deferred failure reaches no response: the log is where it shows, with its cause.
function logged(promise: Promise<unknown>): Promise<unknown> {
  return promise.catch((error: unknown) => {
    console.error('deferred work failed:', error instanceof Error ? error.message : error, {
      cause: error instanceof Error ? error.cause : undefined,
    })
    throw error
  })
}

/**
 * How to defer work past the response; outside workerd it simply runs on. A rejection is
 * logged, then handed on to `waitUntil` (which reports it, and tests can see it).
 */
export function waitUntilOf(c: AppContext): (promise: Promise<unknown>) => void {
  try {
    const ctx = c.executionCtx
    return (promise) => ctx.waitUntil(logged(promise))
  } catch {
    // Hono throws when no ExecutionContext was given (app.request in plain tests): nothing
    // outlives the response there, so deferred work is left to finish on its own, logged.
    return (promise) => void logged(promise).catch(() => undefined)
  }
}

/**
 * The cache layers, clock, next scheduled minute and `waitUntil` of this request; outside
 * workerd no edge cache.
 */
export async function serveContext(c: AppContext, site: Site): Promise<ServeContext> {
  const now = c.get('now')
  const appears = await c.get('store').nextAppearance(now)
  return {
    memory: c.get('memory'),
    edge: defaultEdgeCache(site.staleIfError),
    staleIfError: site.staleIfError,
    now,
    ...(appears === undefined ? {} : { appears }),
    waitUntil: waitUntilOf(c),
  }
}

/** The request's origin: self links name the URL that was requested. */
export function requestOrigin(c: AppContext): string {
  return new URL(c.req.url).origin
}

/**
 * The feed at `path` in the catalog of `now`; before saying there is none, a catalog the store
 * kept is made current (a tag whose first article was just published).
 */
export async function feedAt(
  store: ArticleStore,
  path: string,
  now: number,
): Promise<FeedDefinition | undefined> {
  return (
    findFeed(await store.catalog(now), path) ??
    findFeed(await store.catalog(now, { current: true }), path)
  )
}
