import { formatHttpDate } from '../render/dates'
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

/** What a cacheable resource knows before rendering: enough to answer a conditional request. */
export interface Resolved {
  /** RFC 3339 instant of the newest change in this representation. */
  lastModified: string
  render(): Rendered
}

/** A cacheable GET resource: feed, page or OPML. */
export interface Resource {
  /** Origin + path + normalised query: one URL per distinct representation. */
  canonicalUrl: string
  version: string
  cacheControl: string
  cors: boolean
  /**
   * Extra headers such as WebSub `Link` or a page's `Content-Security-Policy`: known before
   * rendering, so that a 304 decided on a miss carries them as a 200 would.
   */
  headers?: Record<string, string>
  /** Queries the store; called only when no cache layer has the representation. */
  resolve(): Promise<Resolved>
}

/** The cache layers of this request and how to defer work past the response. */
export interface ServeContext extends StaleLayers {
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

function representationHeaders(
  resource: Resource,
  etag: string,
  lastModified: string,
): Record<string, string> {
  return {
    etag,
    'last-modified': formatHttpDate(lastModified),
    'cache-control': resource.cacheControl,
    vary: 'Accept-Encoding',
    ...(resource.cors ? CORS_HEADERS : {}),
    ...resource.headers,
  }
}

function fromCache(request: Request, stored: StoredResponse, layer: string): Response {
  if (isNotModified(request.headers, validatorsOf(stored.headers)))
    return notModified(stored.headers, 'HIT')
  return new Response(stored.body, {
    headers: { ...stored.headers, 'x-cache': 'HIT', 'x-cache-layer': layer },
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
 * edge cache (a hit neither renders nor queries articles), then the store's validators (a 304
 * is decided before rendering), then rendering. A miss streams its chunks as they are; joining
 * them for the caches happens after the response, in `waitUntil`.
 */
export async function serveResource(
  request: Request,
  resource: Resource,
  context: ServeContext,
): Promise<Response> {
  const key = cacheKey(resource.canonicalUrl, resource.version)
  const hit = await lookUp(key, context)
  if (hit) return fromCache(request, ...hit)
  const resolved = await resource.resolve()
  const etag = makeEtag(resource.version, resource.canonicalUrl)
  const headers = representationHeaders(resource, etag, resolved.lastModified)
  const lastModified = Math.floor(Date.parse(resolved.lastModified) / 1000)
  if (isNotModified(request.headers, { etag, lastModified })) return notModified(headers, 'MISS')
  const rendered = resolved.render()
  // Content-Length is set here, not left to the runtime, so that HEAD carries it too.
  Object.assign(headers, {
    'content-type': rendered.contentType,
    'content-length': String(rendered.body.length),
  })
  context.waitUntil(
    (async () => {
      const entry = { headers, body: concatChunks(rendered.body) }
      context.memory.set(key, entry)
      await Promise.all([
        context.edge?.put(key, entry),
        keepStale(resource.canonicalUrl, entry, context),
      ])
    })(),
  )
  // A Blob of the chunks: the runtime sends them with a Content-Length and no JavaScript copy.
  return new Response(new Blob(rendered.body.chunks), {
    headers: { ...headers, 'x-cache': 'MISS' },
  })
}
