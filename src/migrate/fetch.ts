/**
 * A source's bytes, from a file or over http(s), within limits: pages, bytes per response,
 * bytes in all, and time per request. Every way a request fails becomes one line naming the URL
 * (`https://x/feed/?paged=3: 503 Service Unavailable`), never the fetch library's own error.
 */
import { createReadStream } from 'node:fs'
import { type FollowHosts, followLink } from './follow'
import { SourceError } from './source'

/** How far a migration reads; each has a flag (README "Moving in"). */
export interface Limits {
  /** Feed pages followed from one source (`--max-pages`). */
  pages: number
  /** Bytes of one feed page (`--max-page-mib`); a WordPress export is not held to it. */
  pageBytes: number
  /** Bytes over http(s) in the whole run (`--max-total-mib`). */
  totalBytes: number
  /** Milliseconds for one request, its whole body included (`--timeout`). */
  timeout: number
  /** Hosts besides a source's own that next links and redirects may lead to. */
  hosts: FollowHosts
}

const MIB = 1024 * 1024

/** The defaults: generous for any real site, finite for a server that never stops. */
export const DEFAULT_LIMITS: Limits = {
  pages: 1000,
  pageBytes: 64 * MIB,
  totalBytes: 1024 * MIB,
  timeout: 60_000,
  hosts: new Set(),
}

/** A source opened: its bytes as they arrive, and the charset its Content-Type names. */
export interface Opened {
  chunks: AsyncIterable<Uint8Array>
  charset?: string
  /** Where the bytes came from after redirects: relative links resolve against it. */
  url?: string
}

/** Bytes read over http(s) so far in a run, against Limits.totalBytes. */
export interface Budget {
  bytes: number
}

// RFC 9110 §15.4: the redirects that carry a Location to follow; more than this is a loop.
const REDIRECTS = new Set([301, 302, 303, 307, 308])
const MAX_REDIRECTS = 10

const mib = (bytes: number) => `${Math.round((bytes / MIB) * 100) / 100} MiB`

// What went wrong with a request, in a few words: the system's error code when it has one.
function failure(error: unknown, limits: Limits): string {
  const name = (error as Error | undefined)?.name
  if (name === 'TimeoutError' || name === 'AbortError')
    return `no complete answer within ${limits.timeout / 1000} s (--timeout)`
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause
  if (cause?.code) return `could not connect (${cause.code})`
  return `could not be read (${cause?.message ?? (error as Error | undefined)?.message ?? String(error)})`
}

async function* bodyOf(
  response: Response,
  url: string,
  max: { bytes: number; what: string },
  limits: Limits,
  budget: Budget,
): AsyncGenerator<Uint8Array> {
  let bytes = 0
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.byteLength
      budget.bytes += chunk.byteLength
      if (bytes > max.bytes)
        throw new SourceError(url, `more than ${mib(max.bytes)} in one response, ${max.what}`)
      if (budget.bytes > limits.totalBytes)
        throw new SourceError(
          url,
          `the run has read more than ${mib(limits.totalBytes)} over http(s) (--max-total-mib)`,
        )
      yield chunk
    }
  } catch (error) {
    if (error instanceof SourceError) throw error
    throw new SourceError(url, failure(error, limits))
  }
}

/**
 * Opens `url` (a source, or a page of one given as `source`), following redirects that stay
 * within the rules of follow.ts; `max` caps its body's bytes.
 */
export async function openUrl(
  url: string,
  source: string,
  limits: Limits,
  budget: Budget,
  max: { bytes: number; what: string },
): Promise<Opened> {
  // One signal for the request and its body: a response that never ends stops in time too.
  const signal = AbortSignal.timeout(limits.timeout)
  let at = url
  for (let redirects = 0; ; redirects++) {
    let response: Response
    try {
      response = await fetch(at, { redirect: 'manual', signal })
    } catch (error) {
      throw new SourceError(at, failure(error, limits))
    }
    const location = response.headers.get('location')
    if (REDIRECTS.has(response.status) && location) {
      await response.body?.cancel()
      if (redirects >= MAX_REDIRECTS)
        throw new SourceError(url, `more than ${MAX_REDIRECTS} redirects`)
      const next = followLink(location, at, source, limits.hosts)
      if ('refused' in next) throw new SourceError(at, `answers with a redirect: ${next.refused}`)
      at = next.url
      continue
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel()
      throw new SourceError(at, `${response.status} ${response.statusText}`.trim())
    }
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(
      response.headers.get('content-type') ?? '',
    )?.[1]
    return {
      chunks: bodyOf(response, at, max, limits, budget),
      url: at,
      ...(charset ? { charset } : {}),
    }
  }
}

/** Opens a local file as a stream of bytes. */
export function openFile(path: string): Opened {
  async function* chunks(): AsyncGenerator<Uint8Array> {
    try {
      yield* createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>
    } catch (error) {
      const code = (error as { code?: string }).code
      throw new SourceError(
        path,
        code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? error})`,
      )
    }
  }
  return { chunks: chunks() }
}
