// FNV-1a over UTF-16 code units, two 32-bit lanes: a fast, stable hash of a short key. The
// content version carries the collision resistance; this only separates views of it.
function fnv1a(value: string, seed: number): string {
  let hash = seed
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return (hash >>> 0).toString(36)
}

/**
 * A strong ETag for one representation, computed without rendering it (RFC 9110 §8.8.3):
 * the content version plus a hash of what selects the view (feed, format, normalised query,
 * origin of the self link).
 */
export function makeEtag(version: string, key: string): string {
  return `"${version}-${fnv1a(key, 0x811c9dc5)}${fnv1a(key, 0x050c5d1f)}"`
}
