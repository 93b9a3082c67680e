import { checkOutgoingUrl } from './address'
import { ACTIVITY_JSON } from './urls'

/** The most bytes of a remote actor or key document read. */
export const MAX_REMOTE_BYTES = 64 * 1024

/** How long a fetch of a remote document may take. */
export const REMOTE_TIMEOUT_MS = 5_000

/** Reads at most `limit` bytes of a body, or undefined when it holds more. */
export async function readBounded(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
): Promise<Uint8Array | undefined> {
  if (!body) return new Uint8Array()
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel()
      return undefined
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(size)
  let at = 0
  for (const chunk of chunks) {
    bytes.set(chunk, at)
    at += chunk.byteLength
  }
  return bytes
}

/** Signs an outgoing GET: the headers (Date, Host, Signature) to send with it. */
export type SignGet = (url: URL) => Promise<Record<string, string>>

/**
 * A remote ActivityPub document (an actor, a key) as JSON, within the size and time limits and
 * never from a private address outside development; the GET is signed when `sign` is given.
 * Throws naming the URL and the reason.
 */
export async function fetchDocument(
  url: string,
  options: { development: boolean; sign?: SignGet },
): Promise<Record<string, unknown>> {
  const target = new URL(url)
  const refusal = checkOutgoingUrl(target, options.development)
  if (refusal) throw new Error(`${url}: ${refusal}`)
  const signed = options.sign ? await options.sign(target) : {}
  const response = await fetch(target, {
    headers: { accept: ACTIVITY_JSON, ...signed },
    redirect: 'manual',
    signal: AbortSignal.timeout(REMOTE_TIMEOUT_MS),
  })
  if (!response.ok) {
    await response.body?.cancel()
    throw new Error(`${url}: answered ${response.status}`)
  }
  const bytes = await readBounded(response.body, MAX_REMOTE_BYTES)
  if (!bytes) throw new Error(`${url}: over ${MAX_REMOTE_BYTES} bytes`)
  const value: unknown = JSON.parse(new TextDecoder().decode(bytes))
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`${url}: not a JSON object`)
  return value as Record<string, unknown>
}
