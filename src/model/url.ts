/** Whether `value` parses as a URL (against `base` when given); `URL.canParse` without the types gap. */
export function isUrl(value: string, base?: string): boolean {
  try {
    new URL(value, base)
    return true
  } catch {
    // The URL constructor throws a TypeError for anything unparsable: that is the answer.
    return false
  }
}

// WHATWG URL serialisation leaves these as they are; RFC 3986 does not allow them raw, and
// strict validators reject a URL that holds one.
const UNSAFE_IN_URL = /[|[\]^`{}\\ "<>]/g

/**
 * `reference` resolved against `base` and serialised so that RFC 3986 validators accept it:
 * the host lowercased and default ports dropped (by the URL parser), and the characters it
 * leaves raw in path, query and fragment percent-encoded.
 */
export function absoluteUrl(reference: string, base?: string): string {
  const url = new URL(reference, base)
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return url.href
  const rest = (url.pathname + url.search + url.hash).replace(
    UNSAFE_IN_URL,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  )
  return `${url.protocol}//${url.host}${rest}`
}

/** The URL of an article's page under `base` (an origin, or the site URL): every item links here. */
export function articleUrl(base: string, slug: string): string {
  return `${base}/articles/${encodeURIComponent(slug)}/`
}
