import type { Hono } from 'hono'
import type { AppEnv } from '../src/routes/context'

const MAX_FLOOR_BYTES = 4 * 1024 * 1024
const bodies = new Map<number, Uint8Array>()

// The header names a cached feed answers with, values of typical length: with `headers=feed`
// the floor sends as many header bytes as a feed does, separating their cost from ours.
const FEED_LIKE_HEADERS = {
  etag: '"nBl5b-OhPQzOpxXT-10wz7v6ei3jns"',
  'last-modified': 'Mon, 19 Jul 2021 12:00:00 GMT',
  'cache-control': 'public, max-age=300, stale-while-revalidate=600, stale-if-error=86400',
  vary: 'Accept-Encoding',
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'ETag, Last-Modified, Link, X-Cache',
  'x-cache': 'HIT',
  'x-cache-layer': 'isolate',
}

/**
 * Mounts `/__floor?bytes=N[&headers=feed]`: a constant body of N bytes, the fastest answer this
 * Worker can give, as the floor the HTTP benchmark measures cached feeds against. Only the
 * benchmark's Worker (bench/floor-worker.ts) mounts it; the production one never does.
 */
export function addFloorRoute(app: Hono<AppEnv>): void {
  app.get('/__floor', (c) => {
    const bytes = Number(c.req.query('bytes'))
    if (!Number.isInteger(bytes) || bytes < 0 || bytes > MAX_FLOOR_BYTES) return c.notFound()
    let body = bodies.get(bytes)
    if (!body) {
      body = new Uint8Array(bytes).fill(0x61)
      bodies.set(bytes, body)
    }
    const extra = c.req.query('headers') === 'feed' ? FEED_LIKE_HEADERS : {}
    return new Response(body, {
      headers: {
        'content-type': 'application/rss+xml; charset=utf-8',
        'cache-control': 'public, max-age=300',
        ...extra,
      },
    })
  })
}
