/**
 * Whether a state-changing request (signing in or out) was sent from another site. Browsers
 * send `Sec-Fetch-Site` (Fetch Metadata, W3C) and `Origin` (RFC 6454 §7, Fetch §3.1) with
 * every POST; either naming another site refuses it. A request with neither comes from no
 * browser, so no one's cookies ride on it. Hono's `csrf()` middleware checks only requests
 * with a form body, and a sign-out has none: hence this check.
 */
export function isCrossSite(headers: Headers, origin: string): boolean {
  const site = headers.get('sec-fetch-site')
  if (site !== null && site !== 'same-origin' && site !== 'none') return true
  const from = headers.get('origin')
  return from !== null && from !== origin
}
