import type { Site } from '../model/types'

/**
 * `Cache-Control` for public feeds and pages (RFC 9111 §5.2.2, RFC 5861): fresh for `maxAge`,
 * then served stale while revalidating, or while the origin fails.
 */
export function publicCacheControl(site: Site): string {
  return `public, max-age=${site.maxAge}, stale-while-revalidate=${site.staleWhileRevalidate}, stale-if-error=${site.staleIfError}`
}

/** For what must never be stored (the publish API, errors). */
export const NO_STORE = 'no-store'
