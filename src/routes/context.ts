import type { Context } from 'hono'
import { defaultEdgeCache } from '../http/edge-cache'
import type { MemoryCache } from '../http/memory-cache'
import type { ServeContext } from '../http/serve'
import type { Site } from '../model/types'
import type { ArticleStore } from '../store/types'

/** Worker bindings this app reads. */
export type Bindings = Record<string, unknown>

/** The Hono environment of every route. */
export interface AppEnv {
  Bindings: Bindings
  Variables: { store: ArticleStore; memory: MemoryCache; now: () => number }
}

export type AppContext = Context<AppEnv>

/** The cache layers and `waitUntil` of this request; outside workerd there is no edge cache. */
export function serveContext(c: AppContext, site: Site): ServeContext {
  let waitUntil: (promise: Promise<unknown>) => void
  try {
    const ctx = c.executionCtx
    waitUntil = (promise) => ctx.waitUntil(promise)
  } catch {
    // Hono throws when no ExecutionContext was given (app.request in plain tests): nothing
    // outlives the response there, so deferred work is simply left to finish on its own.
    waitUntil = (promise) => void promise.catch(() => undefined)
  }
  return {
    memory: c.get('memory'),
    edge: defaultEdgeCache(site.staleIfError),
    staleIfError: site.staleIfError,
    waitUntil,
  }
}

/** The request's origin: self links name the URL that was requested. */
export function requestOrigin(c: AppContext): string {
  return new URL(c.req.url).origin
}
