/**
 * Conditional GET and HEAD (RFC 9110 §13): decides whether a 304 answers a request, from the
 * validators alone, before anything is rendered.
 */

// RFC 9110 §8.8.3: entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text.
const ENTITY_TAG = /^(?:W\/)?"([\x21\x23-\x7E\x80-\xFF]*)"$/

/** The opaque tags of an `If-None-Match` list, `'*'`, or undefined when the field is malformed. */
export function parseEntityTags(field: string): string[] | '*' | undefined {
  const value = field.trim()
  if (value === '*') return '*'
  const tags: string[] = []
  for (const member of value.split(',')) {
    const trimmed = member.trim()
    // RFC 9110 §5.6.1: empty list elements are allowed and ignored.
    if (trimmed === '') continue
    const match = ENTITY_TAG.exec(trimmed)
    if (!match) return undefined
    tags.push(match[1] as string)
  }
  return tags.length > 0 ? tags : undefined
}

/** The opaque part of an entity tag (`W/"x"` and `"x"` both give `x`). */
export function opaqueTag(etag: string): string {
  return etag.replace(/^W\//, '').replace(/^"|"$/g, '')
}

// RFC 9110 §5.6.7: IMF-fixdate, or the obsolete RFC 850 and asctime forms, which Date.parse
// also reads; anything else (or a list) is not an HTTP-date.
const HTTP_DATE =
  /^(?:[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT|[A-Za-z]+, \d{2}-[A-Za-z]{3}-\d{2} \d{2}:\d{2}:\d{2} GMT|[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4})$/

/** Seconds since the epoch of an HTTP-date, or undefined when it is not one. */
export function parseHttpDate(field: string): number | undefined {
  const value = field.trim()
  if (!HTTP_DATE.test(value)) return undefined
  const time = Date.parse(value)
  return Number.isNaN(time) ? undefined : Math.floor(time / 1000)
}

/** The validators of the representation a request would get. */
export interface Validators {
  etag: string
  /** Seconds since the epoch. */
  lastModified: number
}

/**
 * Whether a GET or HEAD is answered with 304 Not Modified (RFC 9110 §13.2.2): `If-None-Match`,
 * compared weakly (§13.1.2), decides when present and well-formed; only otherwise does
 * `If-Modified-Since` (§13.1.3). Malformed fields are ignored, never an error.
 */
export function isNotModified(headers: Headers, validators: Validators): boolean {
  const ifNoneMatch = headers.get('if-none-match')
  const tags = ifNoneMatch === null ? undefined : parseEntityTags(ifNoneMatch)
  if (tags !== undefined) return tags === '*' || tags.includes(opaqueTag(validators.etag))
  const ifModifiedSince = headers.get('if-modified-since')
  const since = ifModifiedSince === null ? undefined : parseHttpDate(ifModifiedSince)
  return since !== undefined && validators.lastModified <= since
}
