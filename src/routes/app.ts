import { Hono } from 'hono'
import { NO_STORE } from '../http/cache-control'
import { defaultEdgeCache } from '../http/edge-cache'
import { HttpError } from '../http/errors'
import { ALLOWED_METHODS, PREFLIGHT_HEADERS, SECURITY_HEADERS } from '../http/headers'
import { MemoryCache } from '../http/memory-cache'
import { serveStale } from '../http/stale'
import { StatsRecorder } from '../stats/recorder'
import type { ArticleStore } from '../store/types'
import type { AppEnv, Bindings } from './context'
import { addFederationRoutes } from './federation'
import { addFeedRoutes } from './feeds'
import { addPageRoutes } from './pages'
import { followRedirects } from './redirects'
import { addSitemapRoutes } from './sitemaps'
import { addStatsRoutes, recordPolls } from './stats'

function plain(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(`${message}\n`, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': NO_STORE, ...headers },
  })
}

/** Seconds a client should wait before retrying after a 503. */
const RETRY_AFTER = 30

/** Rendered responses one isolate keeps, across requests. */
const MEMORY_BUDGET = 32 * 1024 * 1024

/**
 * The service: feeds, pages, OPML and sitemaps over the store `storeFor` gives, and the API if given.
 * `clock` is read once per request (Date.now unless a test or benchmark sets another);
 * `stats` gathers this isolate's feed statistics (the Cron Trigger writes it out too);
 * `routes` mounts more read-only routes after the site's own (a benchmark's, in its own build).
 */
export function createApp(
  storeFor: (env: Bindings) => ArticleStore,
  options: {
    api?: Hono<AppEnv>
    clock?: () => number
    stats?: StatsRecorder
    routes?: (app: Hono<AppEnv>) => void
  } = {},
): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const memory = new MemoryCache(MEMORY_BUDGET)
  const stats = options.stats ?? new StatsRecorder()

  app.use(async (c, next) => {
    c.set('store', storeFor(c.env ?? {}))
    c.set('memory', memory)
    // The one reading of the clock for this request: what is published (scheduled articles),
    // how long a copy stays fresh, aggregator age windows. Tests and benchmarks set the clock.
    c.set('now', (options.clock ?? Date.now)())
    await next()
    // Defaults: a route that sets its own (the dashboard's stricter Referrer-Policy) keeps it.
    for (const [name, value] of Object.entries(SECURITY_HEADERS))
      if (!c.res.headers.has(name)) c.res.headers.set(name, value)
  })

  // The statistics dashboard and its sign-in (a POST) come before the read-only rule.
  addStatsRoutes(app)
  // ActivityPub (inboxes take POSTs); off without its bindings.
  addFederationRoutes(app)
  if (options.api) app.route('/api', options.api)

  // Everything outside /api is read-only.
  app.use(async (c, next) => {
    const method = c.req.method
    if (method === 'OPTIONS')
      return new Response(null, {
        status: 204,
        headers: { Allow: ALLOWED_METHODS, ...PREFLIGHT_HEADERS },
      })
    if (method !== 'GET' && method !== 'HEAD')
      return plain(405, `${method} is not allowed here`, { Allow: ALLOWED_METHODS })
    await next()
  })

  app.use(followRedirects())
  addFeedRoutes(app, recordPolls(stats))
  addPageRoutes(app)
  addSitemapRoutes(app)
  options.routes?.(app)

  app.notFound(() => plain(404, 'not found'))
  app.onError(async (error, c) => {
    if (error instanceof HttpError) return plain(error.status, error.message, error.headers)
    // Unexpected (a store down, a bug): the cause goes to the log once; the client gets the
    // last good copy if one is at hand (stale-if-error), else 503 and when to come back.
    console.error(
      `${c.req.method} ${new URL(c.req.url).pathname}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    )
    const readable =
      (c.req.method === 'GET' || c.req.method === 'HEAD') &&
      !new URL(c.req.url).pathname.startsWith('/api/')
    const stale = readable
      ? await serveStale(c.req.url, { memory, edge: defaultEdgeCache(0), now: c.get('now') })
      : undefined
    return (
      stale ??
      plain(503, 'temporarily unavailable; try again shortly', {
        'Retry-After': String(RETRY_AFTER),
      })
    )
  })
  return app
}
