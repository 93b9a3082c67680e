/**
 * The longest slug, in UTF-8 bytes: a slug becomes a file name (`content/articles/{slug}.md`,
 * a migrated site's folders), and file systems count bytes (ext4 and APFS allow 255 a name),
 * so 200 leaves room for an extension and a `-2` that tells two articles apart.
 */
export const SLUG_MAX_BYTES = 200

// Format characters (ZWJ, ZWNJ, bidi controls, soft hyphen, BOM…) and the rest of Unicode's
// default-ignorable code points (variation selectors, Hangul fillers) draw nothing: two slugs
// that look the same must be the same, so they never reach one.
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu

/** Letters, marks, digits and emoji are kept in slugs; everything else separates. */
const SEPARATORS = /[^\p{L}\p{M}\p{N}\p{Extended_Pictographic}]+/gu

/** A slug: lowercase runs of letters, marks, digits or emoji joined by single hyphens. */
export const SLUG_PATTERN =
  /^[\p{L}\p{M}\p{N}\p{Extended_Pictographic}]+(?:-[\p{L}\p{M}\p{N}\p{Extended_Pictographic}]+)*$/u

// Windows refuses these device names as a file name, whatever the extension or case
// (Win32 "Naming Files, Paths, and Namespaces"); NFKC has already turned `com¹` into `com1`.
const WINDOWS_RESERVED = /^(?:con|prn|aux|nul|com[0-9]|lpt[0-9])$/

const encoder = new TextEncoder()

const byteLength = (value: string): number => encoder.encode(value).byteLength

/**
 * The longest prefix of `slug` within `maxBytes` of UTF-8, cut between code points and back to
 * the last hyphen when there is one, so that no word is cut in half.
 */
export function truncateSlug(slug: string, maxBytes = SLUG_MAX_BYTES): string {
  if (byteLength(slug) <= maxBytes) return slug
  let bytes = 0
  let cut = ''
  for (const char of slug) {
    bytes += byteLength(char)
    if (bytes > maxBytes) break
    cut += char
  }
  const hyphen = cut.lastIndexOf('-')
  return (hyphen > 0 ? cut.slice(0, hyphen) : cut).replace(/-+$/, '')
}

/**
 * Turns a name (`APT40`, `Microsoft Exchange`, `Café`) into its URL slug (`apt40`, …): no
 * invisible characters, at most SLUG_MAX_BYTES, never a name Windows reserves (`con` → `con-1`).
 */
export function slugify(name: string): string {
  const slug = truncateSlug(
    name
      .replace(INVISIBLE, '')
      .normalize('NFKC')
      .toLowerCase()
      .replace(INVISIBLE, '')
      .replace(SEPARATORS, '-')
      .replace(/^-+|-+$/g, ''),
  )
  return WINDOWS_RESERVED.test(slug) ? `${slug}-1` : slug
}

/** Why `value` is not a slug as `slugify` writes it, in words; undefined when it is one. */
export function slugProblem(value: string): string | undefined {
  const invisible = value.match(INVISIBLE)?.[0]
  if (invisible !== undefined)
    return `holds the invisible character U+${(invisible.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`
  const bytes = byteLength(value)
  if (bytes > SLUG_MAX_BYTES)
    return `is ${bytes} bytes in UTF-8; a slug has at most ${SLUG_MAX_BYTES}`
  if (WINDOWS_RESERVED.test(value.toLowerCase()))
    return `is a device name Windows reserves ("${value}"); a slug becomes a file name, use ${JSON.stringify(`${value.toLowerCase()}-1`)}`
  if (!SLUG_PATTERN.test(value) || slugify(value) !== value)
    return `must be lowercase words joined by "-", got ${JSON.stringify(value)}`
  return undefined
}

/** Whether `value` is already a slug, as `slugify` would write it. */
export function isSlug(value: string): boolean {
  return slugProblem(value) === undefined
}
