import type { FeedChunks, FeedDocument } from '../render/document'
import type { FeedFormat } from '../render/formats'
import type { StoredArticle } from '../store/types'

const encoder = new TextEncoder()

// Item fragments are immutable per content version; their bytes are encoded once per isolate.
const encodedFragments = new WeakMap<object, Map<string, Uint8Array>>()

function fragmentBytes(article: StoredArticle, format: FeedFormat): Uint8Array {
  let byFormat = encodedFragments.get(article.fragments)
  if (!byFormat) {
    byFormat = new Map()
    encodedFragments.set(article.fragments, byFormat)
  }
  let bytes = byFormat.get(format.name)
  if (!bytes) {
    const fragment = article.fragments[format.name]
    if (fragment === undefined)
      throw new Error(`article ${article.id} has no ${format.name} fragment`)
    bytes = encoder.encode(fragment)
    byFormat.set(format.name, bytes)
  }
  return bytes
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0
  for (const part of parts) length += part.byteLength
  const out = new Uint8Array(length)
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.byteLength
  }
  return out
}

/** Encodes chunks that are all strings (for pages, OPML and tests). */
export function encodeChunks(chunks: FeedChunks): Uint8Array {
  return encoder.encode(chunks.head + chunks.items.join(chunks.separator) + chunks.tail)
}

/**
 * A feed as the bytes sent: head and tail rendered now, each item the bytes of its
 * precomputed fragment (so a cache miss escapes nothing but the feed's own metadata).
 */
export function renderFeedBytes(
  format: FeedFormat,
  doc: FeedDocument,
  articles: readonly StoredArticle[],
): Uint8Array {
  const { head, separator, tail } = format.render(doc, [])
  const parts: Uint8Array[] = [encoder.encode(head)]
  const separatorBytes = encoder.encode(separator)
  articles.forEach((article, index) => {
    if (index > 0 && separator) parts.push(separatorBytes)
    parts.push(fragmentBytes(article, format))
  })
  parts.push(encoder.encode(tail))
  return concat(parts)
}
