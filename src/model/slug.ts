/** Letters, marks, digits and emoji (with their joiners) are kept in slugs; all else separates. */
const SEPARATORS = /[^\p{L}\p{M}\p{N}\p{Extended_Pictographic}\u200D]+/gu

/** A slug: lowercase runs of letters, marks, digits or emoji joined by single hyphens. */
export const SLUG_PATTERN =
  /^[\p{L}\p{M}\p{N}\p{Extended_Pictographic}\u200D]+(?:-[\p{L}\p{M}\p{N}\p{Extended_Pictographic}\u200D]+)*$/u

/** Turns a name (`APT40`, `Microsoft Exchange`, `Café`) into its URL slug (`apt40`, …). */
export function slugify(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(SEPARATORS, '-')
    .replace(/^-+|-+$/g, '')
}

/** Whether `value` is already a slug, as `slugify` would write it. */
export function isSlug(value: string): boolean {
  return SLUG_PATTERN.test(value) && slugify(value) === value
}
