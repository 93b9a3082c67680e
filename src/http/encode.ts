import type { FeedDocument } from '../render/document'
import type { FeedFormat } from '../render/formats'
import type { ItemFragment } from '../store/types'

const encoder = new TextEncoder()

/** The UTF-8 bytes of an item's fragment: as stored (bundled records), or encoded now (D1). */
export function fragmentBytes(item: ItemFragment): Uint8Array {
  return typeof item.fragment === 'string' ? encoder.encode(item.fragment) : item.fragment
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
  return assembleChunks(head, articles, separator, tail)
}

/** A head, the items' fragments (joined by `separator`) and a tail, as bytes to send. */
export function assembleChunks(
  head: string,
  articles: readonly ItemFragment[],
  separator: string,
  tail: string,
): ChunkedBody {
  const chunks: Uint8Array[] = [encoder.encode(head)]
  const separatorBytes = separator ? encoder.encode(separator) : undefined
  articles.forEach((article, index) => {
    if (index > 0 && separatorBytes) chunks.push(separatorBytes)
    chunks.push(fragmentBytes(article))
  })
  chunks.push(encoder.encode(tail))
  let length = 0
  for (const chunk of chunks) length += chunk.byteLength
  return { chunks, length }
}

/** Joins chunks into one buffer (what a cache keeps); a body written as one buffer is that. */
export function concatChunks(body: ChunkedBody): Uint8Array {
  const [only] = body.chunks
  // A view of a larger buffer (an item's bytes in a record) is copied: a cache must not keep
  // the rest of that buffer alive.
  if (
    body.chunks.length === 1 &&
    only?.byteOffset === 0 &&
    only.byteLength === only.buffer.byteLength
  )
    return only
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
