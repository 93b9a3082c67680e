import { Hono } from 'hono'
import { NO_STORE } from '../http/cache-control'
import { HttpError } from '../http/errors'
import { ALLOWED_METHODS, PREFLIGHT_HEADERS, SECURITY_HEADERS } from '../http/headers'
import { MemoryCache } from '../http/memory-cache'
import type { ArticleStore } from '../store/types'
import type { AppEnv, Bindings } from './context'
import { addFeedRoutes } from './feeds'
import { addFloorRoute } from './floor'
import { addPageRoutes } from './pages'

function plain(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(`${message}\n`, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': NO_STORE, ...headers },
  })
}

/** Rendered responses one isolate keeps, across requests. */
const MEMORY_BUDGET = 32 * 1024 * 1024

/** The service: feeds, pages and OPML over the store `storeFor` gives, and the API if given. */
export function createApp(
  storeFor: (env: Bindings) => ArticleStore,
  options: { api?: Hono<AppEnv> } = {},
): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const memory = new MemoryCache(MEMORY_BUDGET)

  app.use(async (c, next) => {
    c.set('store', storeFor(c.env ?? {}))
    c.set('memory', memory)
    await next()
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value)
  })

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

  addFeedRoutes(app)
  addPageRoutes(app)
  addFloorRoute(app)

  app.notFound(() => plain(404, 'not found'))
  app.onError((error) => {
    if (error instanceof HttpError) return plain(error.status, error.message, error.headers)
    // Unexpected: the cause goes to the log once; the client learns nothing of the internals.
    console.error('unhandled error', error)
    return plain(500, 'internal error')
  })
  return app
}
