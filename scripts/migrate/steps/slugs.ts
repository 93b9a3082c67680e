/**
 * Article slugs from the old site's: each becomes a file name (`content/articles/{slug}.md`)
 * and a URL segment, so it must be safe as both on every system the content is checked out on.
 */
import { slugify } from '../../../src/model/slug'
import type { PlannedItem } from './items'
import type { Plan } from './types'

/**
 * The longest slug, in UTF-8 bytes: at most the 100 characters the build accepts whatever the
 * script (src/content/schema.ts), far under the 255 bytes a file name may hold on ext4, APFS or
 * NTFS with `.md` and a `-NN` suffix, and at most 300 characters percent-encoded in a URL, which
 * the sitemap's size bound assumes (src/render/sitemap.ts).
 */
export const MAX_SLUG_BYTES = 100

// Invisible characters that would make two different file names look alike (Unicode TR36 §3):
// zero-width joiner and non-joiner, bidi embeddings, overrides and isolates, LRM/RLM, soft hyphen.
const INVISIBLE = /[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g

// Names Windows reserves for devices, with or without an extension (Win32 naming conventions,
// "Naming Files, Paths, and Namespaces"): `con.md` cannot be created there.
const RESERVED = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(?:[.-]|$)/i

const bytes = (text: string) => Buffer.byteLength(text, 'utf8')

// The longest prefix of `slug` within `limit` bytes, cut at a hyphen when one is near the end.
function cutToBytes(slug: string, limit: number): string {
  if (bytes(slug) <= limit) return slug
  let cut = ''
  for (const char of slug) {
    if (bytes(cut + char) > limit) break
    cut += char
  }
  const at = cut.lastIndexOf('-')
  return (at > cut.length / 2 ? cut.slice(0, at) : cut).replace(/-+$/, '')
}

/** `name` as a slug safe in a URL, or '' when nothing of it is left. */
export function safeSlug(name: string, limit = MAX_SLUG_BYTES): string {
  return cutToBytes(slugify(name.replace(INVISIBLE, '')).replace(INVISIBLE, ''), limit)
}

/** `name` as a slug safe in a URL and as a file name (`con` becomes `con-article`). */
export function fileSlug(name: string, limit = MAX_SLUG_BYTES): string {
  const slug = safeSlug(name, limit)
  // The old slug stays recognisable; the file name is no longer a device.
  return RESERVED.test(slug) ? cutToBytes(`${slug}-article`, limit) : slug
}

/**
 * The slug of an item's article: the file's when it was migrated before, else the old site's
 * (or its title's) made safe, told apart with `-2`, `-3`… from slugs already taken.
 */
export function articleSlug(
  { item, id }: PlannedItem,
  known: string | undefined,
  taken: Map<string, string>,
  plan: Plan,
): string {
  if (known) {
    taken.set(known, id)
    return known
  }
  const wanted = fileSlug(item.slug ?? '') || fileSlug(item.title) || 'article'
  let slug = wanted
  for (let n = 2; taken.has(slug) && taken.get(slug) !== id; n++)
    slug = `${cutToBytes(wanted, MAX_SLUG_BYTES - `-${n}`.length)}-${n}`
  if (slug !== wanted)
    plan.report.collisions.push(`${item.where}: slug "${wanted}" is taken, "${slug}" used`)
  else if (item.slug && slug !== slugify(item.slug))
    plan.report.collisions.push(`${item.where}: slug "${item.slug}" is unsafe, "${slug}" used`)
  taken.set(slug, id)
  return slug
}
