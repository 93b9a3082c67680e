import type { StoredResponse } from './memory-cache'

/**
 * The edge cache (Workers Cache API, `caches.default`), shared by the isolates of a data
 * centre. Entries are keyed by a URL that includes the representation's revision: a publish
 * changes the revisions of the feeds it touches, so their old entries are never read again
 * and simply age out. An entry is kept for `retention` seconds whatever the client may cache,
 * so it can answer `stale-if-error`.
 */
export interface EdgeCache {
  match(key: string): Promise<StoredResponse | undefined>
  /** Keeps `entry` for the retention, or `seconds` when it stops being current sooner. */
  put(key: string, entry: StoredResponse, seconds?: number): Promise<void>
}

function cacheRequest(key: string): Request {
  return new Request(key, { method: 'GET' })
}

// Cache API entries need their own Cache-Control for the edge; the client's travels beside it.
const CLIENT_CACHE_CONTROL = 'x-newswire-cache-control'

/** `caches.default` where the runtime has it (workerd), else nothing. */
export function defaultEdgeCache(retention: number): EdgeCache | undefined {
  if (typeof caches === 'undefined' || !('default' in caches)) return undefined
  const cache = (caches as unknown as { default: Cache }).default
  return {
    async match(key) {
      const hit = await cache.match(cacheRequest(key))
      if (!hit) return undefined
      const headers = Object.fromEntries(hit.headers)
      headers['cache-control'] = headers[CLIENT_CACHE_CONTROL] ?? 'no-cache'
      delete headers[CLIENT_CACHE_CONTROL]
      return { headers, body: new Uint8Array(await hit.arrayBuffer()) }
    },
    async put(key, entry, seconds) {
      const keep = Math.min(retention, seconds ?? retention)
      if (keep <= 0) return
      const headers = new Headers(entry.headers)
      headers.set(CLIENT_CACHE_CONTROL, headers.get('Cache-Control') ?? 'no-cache')
      headers.set('Cache-Control', `public, max-age=${keep}`)
      await cache.put(cacheRequest(key), new Response(entry.body, { headers }))
    },
  }
}

/** The key of one representation at one revision. */
export function cacheKey(canonicalUrl: string, revision: string): string {
  return `${canonicalUrl}${canonicalUrl.includes('?') ? '&' : '?'}__revision=${encodeURIComponent(revision)}`
}
