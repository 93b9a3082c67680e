/**
 * Article ids. New articles get a `urn:uuid:`; an article moved in from another CMS keeps the
 * GUID its readers already have (WordPress's `https://example.com/?p=123`, an Atom `tag:` URI,
 * any RSS `guid`), verbatim, so that no reader sees it again as a new item.
 */

/** The longest id kept: far above any real GUID, well under what feeds and D1 keys carry. */
export const MAX_ID_LENGTH = 1024

const UUID_URN = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

export function isUuidUrn(id: string): boolean {
  return UUID_URN.test(id)
}

/** What is wrong with an id, or undefined: non-empty, no control characters or outer spaces. */
export function idProblem(id: string): string | undefined {
  if (id.length === 0) return 'must not be empty'
  if (id.length > MAX_ID_LENGTH) return `must be at most ${MAX_ID_LENGTH} characters`
  // biome-ignore lint/suspicious/noControlCharactersInRegex: what is refused is control characters
  if (/[\u0000-\u001f\u007f-\u009f]/.test(id)) return 'must not contain control characters'
  if (id.trim() !== id) return 'must not start or end with spaces'
  if (id.startsWith('urn:uuid:') && !isUuidUrn(id))
    return 'must be a lowercase urn:uuid: identifier when it starts with urn:uuid:'
  return undefined
}

// RFC 3987 §2.2: an absolute IRI is a scheme, ":", and characters among which none of these.
const ABSOLUTE_IRI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+$/

/**
 * The id an Atom entry carries. RFC 4287 §4.2.6 wants an absolute IRI: every id that is one
 * (all `urn:uuid:`, and the URLs and tag: URIs other systems use) goes verbatim; any other GUID
 * an RSS feed once gave (`post-123`) is carried as `urn:newswire:guid:` and its percent-encoded
 * text, the same every time.
 */
export function atomIdOf(id: string): string {
  return ABSOLUTE_IRI.test(id) ? id : `urn:newswire:guid:${encodeURIComponent(id)}`
}
