import type { Article } from '../model/types'
import type { StoredArticle } from './types'

/**
 * One article as the bundled store keeps it outside the isolate's heap (a static asset): a
 * line of JSON naming where each part starts and how long it is, then the parts as UTF-8
 * bytes: the article model as JSON and each fragment as it is sent. A feed takes a fragment's
 * bytes as they are, with no decoding, escaping or encoding on the request path.
 */
export interface ArticleRecord {
  /** The bytes of fragment `key`, if the article has one. */
  fragment(key: string): Uint8Array | undefined
  /** The article model (pages). */
  article(): Article
  readonly byteLength: number
}

const MODEL = '(model)'
const NEWLINE = 0x0a
const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** The record of an article and its fragments. */
export function encodeRecord(stored: StoredArticle): Uint8Array {
  const { fragments, ...article } = stored
  const parts: [string, Uint8Array][] = [
    [MODEL, encoder.encode(JSON.stringify(article))],
    ...Object.entries(fragments).map(([key, text]): [string, Uint8Array] => [
      key,
      encoder.encode(text),
    ]),
  ]
  let offset = 0
  const index: Record<string, [number, number]> = {}
  for (const [key, bytes] of parts) {
    index[key] = [offset, bytes.byteLength]
    offset += bytes.byteLength
  }
  // JSON.stringify escapes every line break, so the header is exactly one line.
  const header = encoder.encode(`${JSON.stringify(index)}\n`)
  const out = new Uint8Array(header.byteLength + offset)
  out.set(header, 0)
  let at = header.byteLength
  for (const [, bytes] of parts) {
    out.set(bytes, at)
    at += bytes.byteLength
  }
  return out
}

/** Reads a record without copying: parts are views into `bytes`. */
export function decodeRecord(bytes: Uint8Array): ArticleRecord {
  const end = bytes.indexOf(NEWLINE)
  if (end < 0) throw new Error('not an article record: no header line')
  const index = JSON.parse(decoder.decode(bytes.subarray(0, end))) as Record<
    string,
    [number, number]
  >
  const body = end + 1
  const part = (key: string) => {
    const at = index[key]
    return at && bytes.subarray(body + at[0], body + at[0] + at[1])
  }
  return {
    fragment: (key) => (key === MODEL ? undefined : part(key)),
    article: () => JSON.parse(decoder.decode(part(MODEL))) as Article,
    byteLength: bytes.byteLength,
  }
}
