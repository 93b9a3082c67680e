/**
 * The edge cache (Workers Cache API, `caches.default`), keyed by a URL that includes the
 * content version: a publish changes the version, so old entries are never read again and
 * simply age out. The entry lives longer than clients may cache (for `stale-if-error`); the
 * client's own `Cache-Control` travels in a private header and is restored on a hit.
 */

const CLIENT_CACHE_CONTROL = 'x-newswire-cache-control'

/** The part of the Cache API this service uses. */
export interface ResponseCache {
  match(key: string): Promise<Response | undefined>
  put(key: string, response: Response): Promise<void>
}

function cacheRequest(key: string): Request {
  return new Request(key, { method: 'GET' })
}

/** `caches.default` where the runtime has it (workerd), else nothing. */
export function defaultEdgeCache(retention: number): ResponseCache | undefined {
  if (typeof caches === 'undefined' || !('default' in caches)) return undefined
  const cache = (caches as unknown as { default: Cache }).default
  return {
    async match(key) {
      const hit = await cache.match(cacheRequest(key))
      if (!hit) return undefined
      const headers = new Headers(hit.headers)
      headers.set('Cache-Control', headers.get(CLIENT_CACHE_CONTROL) ?? 'no-cache')
      headers.delete(CLIENT_CACHE_CONTROL)
      return new Response(hit.body, { status: hit.status, headers })
    },
    async put(key, response) {
      const headers = new Headers(response.headers)
      headers.set(CLIENT_CACHE_CONTROL, headers.get('Cache-Control') ?? 'no-cache')
      headers.set('Cache-Control', `public, max-age=${retention}`)
      await cache.put(
        cacheRequest(key),
        new Response(response.body, { status: response.status, headers }),
      )
    },
  }
}

/** The key of one representation in one content version. */
export function cacheKey(canonicalUrl: string, version: string): string {
  const url = new URL(canonicalUrl)
  url.searchParams.set('__version', version)
  return url.href
}
