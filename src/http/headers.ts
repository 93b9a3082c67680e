// Header names are lowercase throughout, as Headers and the Cache API give them back.

/** Methods every public resource answers. */
export const ALLOWED_METHODS = 'GET, HEAD, OPTIONS'

/** Sent on every response (OWASP secure headers). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
}

/**
 * HTML pages load nothing from elsewhere and run no inline code: our stylesheet and script only;
 * a form (the list filter) submits to this site alone.
 */
export const PAGE_CSP =
  "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' https: data:; media-src 'self' https:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

/** Feeds, OPML and sitemaps are public data: any origin may read them (Fetch §3.2). */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'ETag, Last-Modified, Link, X-Cache',
}

/** The answer to a CORS preflight for a feed, OPML or a sitemap. */
export const PREFLIGHT_HEADERS: Readonly<Record<string, string>> = {
  ...CORS_HEADERS,
  'access-control-allow-methods': ALLOWED_METHODS,
  'access-control-allow-headers': 'If-None-Match, If-Modified-Since, Cache-Control',
  'access-control-max-age': '86400',
}
