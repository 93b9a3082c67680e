/**
 * Article slugs from the old site's: each becomes a file name (`content/articles/{slug}.md`)
 * and a URL segment, so it is made by the build's own `slugify` (src/model/slug.ts): no
 * invisible characters, at most SLUG_MAX_BYTES of UTF-8, never a name Windows reserves.
 */
import { SLUG_MAX_BYTES, slugify, truncateSlug } from '../../model/slug'
import type { PlannedItem } from './items'
import type { Plan } from './types'

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
  const wanted = slugify(item.slug ?? '') || slugify(item.title) || 'article'
  let slug = wanted
  for (let n = 2; taken.has(slug) && taken.get(slug) !== id; n++)
    slug = `${truncateSlug(wanted, SLUG_MAX_BYTES - `-${n}`.length)}-${n}`
  if (slug !== wanted)
    plan.report.collisions.push(`${item.where}: slug "${wanted}" is taken, "${slug}" used`)
  else if (item.slug && slug !== item.slug)
    plan.report.collisions.push(`${item.where}: slug "${item.slug}" is unsafe, "${slug}" used`)
  taken.set(slug, id)
  return slug
}
