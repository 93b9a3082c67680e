/**
 * Conditional GET and HEAD (RFC 9110 §13): decides whether a 304 answers a request, from the
 * validators alone, before anything is rendered.
 */

// RFC 9110 §8.8.3: entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text.
const ENTITY_TAG = /^(W\/)?"([\x21\x23-\x7E\x80-\xFF]*)"$/

/** One member of an entity-tag list: its opaque tag and whether it is weak. */
export interface EntityTag {
  opaque: string
  weak: boolean
}

/**
 * The entity tags of an `If-None-Match` or `If-Match` list, `'*'`, or undefined when the field
 * is malformed.
 */
export function parseEntityTags(field: string): EntityTag[] | '*' | undefined {
  const value = field.trim()
  if (value === '*') return '*'
  const tags: EntityTag[] = []
  for (const member of value.split(',')) {
    const trimmed = member.trim()
    // RFC 9110 §5.6.1: empty list elements are allowed and ignored.
    if (trimmed === '') continue
    const match = ENTITY_TAG.exec(trimmed)
    if (!match) return undefined
    tags.push({ opaque: match[2] as string, weak: match[1] !== undefined })
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
 * compared weakly (§13.1.2), decides whenever it is present, and a malformed one matches
 * nothing; only without it does `If-Modified-Since` count (§13.1.3: a recipient MUST ignore it
 * when the request has `If-None-Match`). Malformed fields are never an error.
 */
export function isNotModified(headers: Headers, validators: Validators): boolean {
  const ifNoneMatch = headers.get('if-none-match')
  if (ifNoneMatch !== null) {
    const tags = parseEntityTags(ifNoneMatch)
    const current = opaqueTag(validators.etag)
    return tags === '*' || (tags?.some((tag) => tag.opaque === current) ?? false)
  }
  const ifModifiedSince = headers.get('if-modified-since')
  const since = ifModifiedSince === null ? undefined : parseHttpDate(ifModifiedSince)
  return since !== undefined && validators.lastModified <= since
}
