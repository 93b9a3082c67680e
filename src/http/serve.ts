import { formatHttpDate } from '../render/dates'
import { type CachePolicy, publicCacheControl, secondsUntil } from './cache-control'
import { isNotModified, parseHttpDate, type Validators } from './conditional'
import { cacheKey } from './edge-cache'
import { type ChunkedBody, concatChunks } from './encode'
import { makeEtag } from './etag'
import { CORS_HEADERS } from './headers'
import type { StoredResponse } from './memory-cache'
import { keepStale, type StaleLayers } from './stale'

/** A resource's representation once rendered. */
export interface Rendered {
  body: ChunkedBody
  contentType: string
}

/** A cacheable GET resource (feed, page or OPML), as known before anything is rendered. */
export interface Resource {
  /** Origin + path + normalised query: one URL per distinct representation. */
  canonicalUrl: string
  /**
   * Identifies the representation's content (code, head, items): the ETag and the cache keys
   * derive from it, so they change when, and only when, it does.
   */
  revision: string
  /**
   * RFC 3339 instant of the newest change in this representation; absent when it has no date
   * of its own (text that follows only the code), so that only its ETag validates it.
   */
  lastModified?: string
  cache: CachePolicy
  /** Milliseconds: when this representation stops being current for a reason of its own. */
  expires?: number
  cors: boolean
  /**
   * Extra headers such as WebSub `Link` or a page's `Content-Security-Policy`: known before
   * rendering, so that a 304 carries them as a 200 would.
   */
  headers?: Record<string, string>
  /** Reads the store and renders; called only when no cache layer has the representation. */
  render(): Promise<Rendered>
}

/** The cache layers of this request, its clock, and how to defer work past the response. */
export interface ServeContext extends StaleLayers {
  /** The request's instant (ms), read once. */
  now: number
  /**
   * Milliseconds: when the site's next scheduled article appears. Every representation is
   * fresh only until then, whether the article enters it or not: a cap on just its feeds
   * would tell which they are, and the minute, before it is out.
   */
  appears?: number
  /**
   * False for a response no cache keeps, nor looks for: a filtered list page, whose query is
   * chosen by whoever sends it (a cache of those only churns).
   */
  keep?: boolean
  waitUntil(promise: Promise<unknown>): void
}

// RFC 9110 §15.4.5: a 304 repeats the fields a 200 would have sent that guide caches.
const RETAINED_304_HEADERS = [
  'cache-control',
  'content-location',
  'etag',
  'last-modified',
  'vary',
  'link',
]

function notModified(headers: Record<string, string>, cacheStatus: string): Response {
  const kept: Record<string, string> = { 'x-cache': cacheStatus }
  for (const name of RETAINED_304_HEADERS)
    if (headers[name] !== undefined) kept[name] = headers[name]
  if (headers['access-control-allow-origin']) Object.assign(kept, CORS_HEADERS)
  return new Response(null, { status: 304, headers: kept })
}

function validatorsOf(headers: Record<string, string>): Validators {
  return {
    etag: headers.etag ?? '',
    lastModified: parseHttpDate(headers['last-modified'] ?? '') ?? Number.POSITIVE_INFINITY,
  }
}

// Freshness is decided at each answer, not when the copy was made: a cached copy that a
// scheduled article will replace is fresh only for the seconds left.
function representationHeaders(
  resource: Resource,
  etag: string,
  expires: number | undefined,
  now: number,
): Record<string, string> {
  return {
    etag,
    ...(resource.lastModified === undefined
      ? {}
      : { 'last-modified': formatHttpDate(resource.lastModified) }),
    'cache-control': publicCacheControl(resource.cache, secondsUntil(expires, now)),
    vary: 'Accept-Encoding',
    ...(resource.cors ? CORS_HEADERS : {}),
    ...resource.headers,
  }
}

function fromCache(
  request: Request,
  stored: StoredResponse,
  layer: string,
  cacheControl: string,
): Response {
  const headers = { ...stored.headers, 'cache-control': cacheControl }
  if (isNotModified(request.headers, validatorsOf(headers))) return notModified(headers, 'HIT')
  return new Response(stored.body, {
    headers: { ...headers, 'x-cache': 'HIT', 'x-cache-layer': layer },
  })
}

async function lookUp(
  key: string,
  context: ServeContext,
): Promise<[StoredResponse, string] | undefined> {
  const inMemory = context.memory.get(key)
  if (inMemory) return [inMemory, 'isolate']
  const atEdge = await context.edge?.match(key)
  if (!atEdge) return undefined
  context.memory.set(key, atEdge)
  return [atEdge, 'edge']
}

/**
 * Answers a GET (or HEAD) for a cacheable resource in layers: this isolate's memory, then the
 * edge cache (a hit neither renders nor reads articles), then the validators (a 304 is decided
 * from what the resource knows before reading any article), then rendering. A miss joins its
 * chunks once, sends them and keeps them (in `waitUntil`, after the response), unless the
 * context says nothing is kept: then no cache is read either.
 */
export async function serveResource(
  request: Request,
  resource: Resource,
  context: ServeContext,
): Promise<Response> {
  const key = cacheKey(resource.canonicalUrl, resource.revision)
  const etag = makeEtag(resource.revision, resource.canonicalUrl)
  const expires = Math.min(
    resource.expires ?? Number.POSITIVE_INFINITY,
    context.appears ?? Number.POSITIVE_INFINITY,
  )
  const until = Number.isFinite(expires) ? expires : undefined
  const headers = representationHeaders(resource, etag, until, context.now)
  const keep = context.keep ?? true
  const hit = keep ? await lookUp(key, context) : undefined
  if (hit) return fromCache(request, ...hit, headers['cache-control'] as string)
  // RFC 9110 §13.1.3 compares If-Modified-Since with the representation's modification date:
  // without one, only If-None-Match can give a 304.
  const lastModified =
    resource.lastModified === undefined
      ? Number.POSITIVE_INFINITY
      : Math.floor(Date.parse(resource.lastModified) / 1000)
  if (isNotModified(request.headers, { etag, lastModified })) return notModified(headers, 'MISS')
  const rendered = await resource.render()
  // Content-Length is set here, not left to the runtime, so that HEAD carries it too.
  Object.assign(headers, {
    'content-type': rendered.contentType,
    'content-length': String(rendered.body.length),
  })
  // One copy of the chunks, sent and kept alike (a Response copies what it is given).
  const body = concatChunks(rendered.body)
  if (keep)
    context.waitUntil(
      (async () => {
        const entry = { headers, body }
        context.memory.set(key, entry)
        await Promise.all([
          context.edge?.put(key, entry, secondsUntil(until, context.now)),
          keepStale(resource.canonicalUrl, entry, context),
        ])
      })(),
    )
  return new Response(body, {
    headers: { ...headers, 'x-cache': 'MISS' },
  })
}
