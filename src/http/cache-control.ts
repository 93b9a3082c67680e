import type { Site } from '../model/types'

/** How long a public representation stays fresh, in seconds (site.yaml `cache:`). */
export interface CachePolicy {
  maxAge: number
  staleWhileRevalidate: number
  staleIfError: number
}

/** The policy site.yaml sets for feeds and pages. */
export function cachePolicy(site: Site): CachePolicy {
  return {
    maxAge: site.maxAge,
    staleWhileRevalidate: site.staleWhileRevalidate,
    staleIfError: site.staleIfError,
  }
}

/** Seconds from `now` until `expires` (ms), rounded down, or undefined when nothing waits. */
export function secondsUntil(expires: number | undefined, now: number): number | undefined {
  return expires === undefined ? undefined : Math.max(0, Math.floor((expires - now) / 1000))
}

/**
 * `Cache-Control` for public feeds and pages (RFC 9111 §5.2.2, RFC 5861): fresh for `maxAge`,
 * then served stale while revalidating, or while the origin fails. When the representation
 * stops being current sooner (a scheduled article appears in `left` seconds), it is fresh only
 * until then and no cache may serve it stale past that minute for want of revalidating.
 */
export function publicCacheControl(policy: CachePolicy, left?: number): string {
  if (left !== undefined && left < policy.maxAge)
    return `public, max-age=${left}, stale-if-error=${policy.staleIfError}`
  return `public, max-age=${policy.maxAge}, stale-while-revalidate=${policy.staleWhileRevalidate}, stale-if-error=${policy.staleIfError}`
}

/** For what must never be stored (the publish API, errors). */
export const NO_STORE = 'no-store'
