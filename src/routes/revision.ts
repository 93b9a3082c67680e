import { hash64 } from '../model/hash'

/**
 * The declared parts of a representation's revision, hence of its ETag (RFC 9110 §8.8.3: a
 * strong validator changes whenever the bytes do): every route names the same three.
 */
export interface RevisionParts {
  /** The code that renders it: the store's build. */
  build: string
  /** A digest of what it prints beside its items: `digestOf(site, feed)`, or of the site. */
  head: string
  /** The state of its content and whatever else selects its bytes (the day, for an age-ruled feed). */
  content: readonly (string | number | undefined)[]
}

/** Builds a representation's revision from its declared parts; serveResource makes the ETag of it. */
export function buildRevision(parts: RevisionParts): string {
  return hash64([parts.build, parts.head, ...parts.content].map((part) => part ?? '').join('|'))
}
