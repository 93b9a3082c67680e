import { isNotModified, parseHttpDate } from './conditional'
import { cacheKey, type ResponseCache } from './edge-cache'
import { makeEtag } from './etag'
import { CORS_HEADERS } from './headers'

/** A resource's representation once rendered. */
export interface Rendered {
  body: Uint8Array
  contentType: string
  /** Extra headers such as WebSub `Link`. */
  headers?: Record<string, string>
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
  /** Queries the store; called only when the edge cache has no copy. */
  resolve(): Promise<Resolved>
}

/** How to reach the edge cache and defer work past the response. */
export interface ServeContext {
  cache: ResponseCache | undefined
  waitUntil(promise: Promise<unknown>): void
}

// RFC 9110 §15.4.5: a 304 repeats the fields a 200 would have sent that guide caches.
const RETAINED_304_HEADERS = [
  'Cache-Control',
  'Content-Location',
  'ETag',
  'Last-Modified',
  'Vary',
  'Link',
]

function notModified(from: Headers, cacheStatus: string): Response {
  const headers = new Headers({ 'X-Cache': cacheStatus })
  for (const name of RETAINED_304_HEADERS) {
    const value = from.get(name)
    if (value !== null) headers.set(name, value)
  }
  if (from.has('Access-Control-Allow-Origin'))
    for (const [k, v] of Object.entries(CORS_HEADERS)) headers.set(k, v)
  return new Response(null, { status: 304, headers })
}

function validatorsOf(headers: Headers) {
  return {
    etag: headers.get('ETag') ?? '',
    lastModified: parseHttpDate(headers.get('Last-Modified') ?? '') ?? Number.POSITIVE_INFINITY,
  }
}

function representationHeaders(
  resource: Resource,
  etag: string,
  lastModified: string,
  rendered?: Rendered,
): Headers {
  const headers = new Headers({
    ETag: etag,
    'Last-Modified': new Date(lastModified).toUTCString(),
    'Cache-Control': resource.cacheControl,
    Vary: 'Accept-Encoding',
    ...(resource.cors ? CORS_HEADERS : {}),
    ...rendered?.headers,
  })
  if (rendered) {
    headers.set('Content-Type', rendered.contentType)
    headers.set('Content-Length', String(rendered.body.byteLength))
  }
  return headers
}

/**
 * Answers a GET (or HEAD) for a cacheable resource in layers: the edge cache first (a hit
 * neither renders nor touches the store), then the store's validators (a 304 is decided before
 * rendering), then rendering, whose result is put in the edge cache after the response.
 */
export async function serveResource(
  request: Request,
  resource: Resource,
  context: ServeContext,
): Promise<Response> {
  const key = cacheKey(resource.canonicalUrl, resource.version)
  const cached = await context.cache?.match(key)
  if (cached) {
    if (isNotModified(request.headers, validatorsOf(cached.headers)))
      return notModified(cached.headers, 'HIT')
    cached.headers.set('X-Cache', 'HIT')
    return cached
  }
  const resolved = await resource.resolve()
  const etag = makeEtag(resource.version, resource.canonicalUrl)
  const lastModified = Math.floor(Date.parse(resolved.lastModified) / 1000)
  if (isNotModified(request.headers, { etag, lastModified })) {
    return notModified(representationHeaders(resource, etag, resolved.lastModified), 'MISS')
  }
  const rendered = resolved.render()
  const headers = representationHeaders(resource, etag, resolved.lastModified, rendered)
  if (context.cache)
    context.waitUntil(context.cache.put(key, new Response(rendered.body, { headers })))
  headers.set('X-Cache', 'MISS')
  return new Response(rendered.body, { status: 200, headers })
}
