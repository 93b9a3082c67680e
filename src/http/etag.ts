import { hash64 } from '../model/hash'

/**
 * A strong ETag for one representation, computed without rendering it (RFC 9110 §8.8.3):
 * the revision of its content plus a hash of what selects the view (feed, format, normalised
 * query, origin of the self link). The revision carries the content's identity; the hash only
 * separates the views of one revision.
 */
export function makeEtag(revision: string, key: string): string {
  return `"${revision}-${hash64(key)}"`
}
