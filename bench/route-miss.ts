/**
 * A cache miss through the Worker's own route: `app.fetch` on the app the Worker builds, with
 * every cache layer missed on purpose. Each request sees a new build id, so its cache key and
 * ETag are new (as after a deploy) and the route reads the store and renders, as a miss does.
 */
import { createApp } from '../src/routes/app'
import type { ArticleStore } from '../src/store/types'

/** Fetches `path` from the app over `store` as a cache miss; resolves to the bytes sent. */
export type MissFetch = (path: string, status?: number) => Promise<number>

// The store, but for build(): a new id per call, so no cache layer holds the representation.
function freshBuilds(store: ArticleStore): ArticleStore {
  let build = 0
  return new Proxy(store, {
    get(target, property) {
      if (property === 'build') return () => `bench-miss-${build++}`
      const value = Reflect.get(target, property, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

/** The route's cache-miss path over `store`, at the clock `now`, on the origin `origin`. */
export function routeMiss(store: ArticleStore, now: number, origin: string): MissFetch {
  const fresh = freshBuilds(store)
  const app = createApp(() => fresh, { clock: () => now })
  return async (path, status = 200) => {
    const response = await app.fetch(new Request(new URL(path, origin)))
    const body = await response.arrayBuffer()
    if (response.status !== status)
      throw new Error(`${path}: ${response.status}, expected ${status}`)
    if (status === 200 && response.headers.get('x-cache') !== 'MISS')
      throw new Error(`${path}: answered by a cache (${response.headers.get('x-cache-layer')})`)
    return body.byteLength
  }
}
