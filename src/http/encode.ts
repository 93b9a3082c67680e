import type { FeedDocument } from '../render/document'
import type { FeedFormat } from '../render/formats'
import type { ItemFragment } from '../store/types'

const encoder = new TextEncoder()

// Item fragments are immutable per content version; their bytes are encoded once per isolate.
const encodedFragments = new WeakMap<object, Map<string, Uint8Array>>()

/** The UTF-8 bytes of an item's fragment `key`, encoded once per fragments object. */
export function fragmentBytes(article: ItemFragment, key: string): Uint8Array {
  let byKey = encodedFragments.get(article.fragments)
  if (!byKey) {
    byKey = new Map()
    encodedFragments.set(article.fragments, byKey)
  }
  let bytes = byKey.get(key)
  if (!bytes) {
    const fragment = article.fragments[key]
    if (fragment === undefined) throw new Error(`article ${article.id} has no ${key} fragment`)
    bytes = encoder.encode(fragment)
    byKey.set(key, bytes)
  }
  return bytes
}

/** A body as the chunks it is sent in, and their total length. */
export interface ChunkedBody {
  chunks: Uint8Array[]
  length: number
}

/**
 * A feed as the bytes sent, in chunks: head and tail rendered now, each item the bytes of its
 * precomputed fragment, so a cache miss escapes nothing but the feed's own metadata and copies
 * no item.
 */
export function renderFeedChunks(
  format: FeedFormat,
  doc: FeedDocument,
  articles: readonly ItemFragment[],
): ChunkedBody {
  const { head, separator, tail } = format.render(doc, [])
  return assembleChunks(head, articles, format.name, separator, tail)
}

/** A head, the items' fragment `key` (joined by `separator`) and a tail, as bytes to send. */
export function assembleChunks(
  head: string,
  articles: readonly ItemFragment[],
  key: string,
  separator: string,
  tail: string,
): ChunkedBody {
  const chunks: Uint8Array[] = [encoder.encode(head)]
  const separatorBytes = separator ? encoder.encode(separator) : undefined
  articles.forEach((article, index) => {
    if (index > 0 && separatorBytes) chunks.push(separatorBytes)
    chunks.push(fragmentBytes(article, key))
  })
  chunks.push(encoder.encode(tail))
  let length = 0
  for (const chunk of chunks) length += chunk.byteLength
  return { chunks, length }
}

/** Joins chunks into one buffer (what a cache keeps). */
export function concatChunks(body: ChunkedBody): Uint8Array {
  const out = new Uint8Array(body.length)
  let offset = 0
  for (const chunk of body.chunks) {
    out.set(chunk, offset)
    offset += chunk.byteLength
  }
  return out
}

/** A body that is one string (pages, OPML). */
export function textBody(text: string): ChunkedBody {
  const bytes = encoder.encode(text)
  return { chunks: [bytes], length: bytes.byteLength }
}
