import type { EdgeCache } from './edge-cache'
import type { MemoryCache, StoredResponse } from './memory-cache'

/** Where last good representations are kept, and for how long they may stand in. */
export interface StaleLayers {
  memory: MemoryCache
  edge: EdgeCache | undefined
  /** Seconds a representation may still be served while the origin fails (RFC 5861). */
  staleIfError: number
}

// The edge entry of a URL's last good representation: one per URL, whatever the version.
function staleKey(url: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}__stale=1`
}

/** Keeps a URL's last good representation, to answer with while the origin fails. */
export async function keepStale(
  url: string,
  entry: StoredResponse,
  context: StaleLayers & { now: number },
): Promise<void> {
  context.memory.remember(url, entry, context.now + context.staleIfError * 1000)
  await context.edge?.put(staleKey(url), entry)
}

async function lastGood(
  url: string,
  context: Pick<StaleLayers, 'memory' | 'edge'> & { now: number },
): Promise<StoredResponse | undefined> {
  return context.memory.recall(url, context.now) ?? (await context.edge?.match(staleKey(url)))
}

// A query that only tracks (utm_source=…) selects the same document as none: one the feed
// routes would answer with a redirect, had they been able to read the catalog.
function withoutTracking(url: string): string | undefined {
  const parsed = new URL(url)
  if (parsed.search === '' || parsed.searchParams.has('page') || parsed.searchParams.has('limit'))
    return undefined
  return `${parsed.origin}${parsed.pathname}`
}

/**
 * Answers with the last good representation of `url`, marked `X-Cache: STALE`, when the origin
 * cannot answer (RFC 5861 §4 stale-if-error): this isolate's copy, else the edge's, for as long
 * as site.yaml's `stale_if_error` allows; for a URL whose query only tracks, that of the URL
 * without it. Undefined when there is none.
 */
export async function serveStale(
  url: string,
  context: Pick<StaleLayers, 'memory' | 'edge'> & { now: number },
): Promise<Response | undefined> {
  const bare = withoutTracking(url)
  const entry = (await lastGood(url, context)) ?? (bare ? await lastGood(bare, context) : undefined)
  if (!entry) return undefined
  return new Response(entry.body, { headers: { ...entry.headers, 'x-cache': 'STALE' } })
}
