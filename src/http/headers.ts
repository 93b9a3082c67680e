/** Methods every public resource answers. */
export const ALLOWED_METHODS = 'GET, HEAD, OPTIONS'

/** Sent on every response (OWASP secure headers). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
}

/**
 * HTML pages load nothing from elsewhere: inline styles only by hash-free `style-src 'self'`
 * and no scripts but our own file.
 */
export const PAGE_CSP =
  "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' https: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

/** Feeds and OPML are public data: any origin may read them (Fetch §3.2). */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'ETag, Last-Modified, Link, X-Cache',
}

/** The answer to a CORS preflight for a feed or OPML. */
export const PREFLIGHT_HEADERS: Readonly<Record<string, string>> = {
  ...CORS_HEADERS,
  'Access-Control-Allow-Methods': ALLOWED_METHODS,
  'Access-Control-Allow-Headers': 'If-None-Match, If-Modified-Since, Cache-Control',
  'Access-Control-Max-Age': '86400',
}
