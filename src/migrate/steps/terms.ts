/**
 * Authors, categories and tags as the articles name them, and the files that hold them: new
 * ones are added; what content/ has is left as it is (hand edits win).
 */
import { parse } from 'yaml'
import { slugify } from '../../model/slug'
import { plainText, type SourceItem, type SourceTerm } from '../source'
import { type Existing, type Plan, type PlanOptions, yamlText } from './types'

const CATEGORIES_FILE = 'content/categories.yaml'

/** The authors, categories and tag slugs gathered over every article, by new slug. */
export interface Terms {
  authors: Map<string, { name: string; url?: string; bio?: string }>
  categories: Map<string, { name: string; description: string }>
  /** Old tag slug → new. */
  tags: Map<string, string>
}

export function emptyTerms(): Terms {
  return { authors: new Map(), categories: new Map(), tags: new Map() }
}

/** The slug a term goes by: its old one made safe, else its name's. */
export const termSlug = (term: SourceTerm) => slugify(term.slug ?? '') || slugify(term.name)

/** The slug of an item's author (the default one when it names none), gathered into `terms`. */
export function authorOf(item: SourceItem, terms: Terms, options: PlanOptions): string {
  const slug = slugify(item.author?.login ?? item.author?.name ?? '') || options.author.slug
  if (!terms.authors.has(slug))
    terms.authors.set(
      slug,
      item.author
        ? {
            name: item.author.name,
            ...(item.author.url ? { url: item.author.url } : {}),
            ...(item.author.bio ? { bio: item.author.bio } : {}),
          }
        : { name: options.author.name },
    )
  return slug
}

/** The category slugs of an item (the default one for items that have none). */
export function categoriesOf(item: SourceItem, terms: Terms, options: PlanOptions): string[] {
  const listed: SourceTerm[] = item.categories.length > 0 ? item.categories : [options.category]
  for (const term of listed) {
    const slug = termSlug(term)
    if (slug && !terms.categories.has(slug))
      terms.categories.set(slug, {
        name: term.name,
        description: term.description || `Articles filed under ${term.name}.`,
      })
  }
  return [...new Set(listed.map(termSlug).filter(Boolean))]
}

/** The tag names of an item, one per slug; each old tag slug is remembered for its redirect. */
export function tagsOf(item: SourceItem, terms: Terms): string[] {
  const names: string[] = []
  const slugs = new Set<string>()
  for (const tag of item.tags) {
    const name = plainText(tag.name)
    const slug = slugify(name)
    if (!slug || slugs.has(slug)) continue
    slugs.add(slug)
    names.push(name)
    if (tag.slug) terms.tags.set(tag.slug, slug)
  }
  return names
}

/** Writes each new author's file, and appends new categories to content/categories.yaml. */
export function writeTerms(terms: Terms, existing: Existing, plan: Plan): void {
  for (const [slug, author] of terms.authors) {
    const file = `content/authors/${slug}.yaml`
    if (!existing.files.has(file)) plan.writes.set(file, yamlText(author))
  }
  const current = existing.files.get(CATEGORIES_FILE) ?? ''
  const listed: unknown = current ? parse(current) : []
  const known = new Set(
    (Array.isArray(listed) ? listed : []).map((c: unknown) =>
      String((c as { slug?: unknown })?.slug),
    ),
  )
  const added = [...terms.categories]
    .filter(([slug]) => !known.has(slug))
    .map(([slug, c]) => ({ slug, ...c }))
  // Appended as text, so that the file's own comments and layout stay as they are.
  if (added.length > 0)
    plan.writes.set(
      CATEGORIES_FILE,
      `${current}${current && !current.endsWith('\n') ? '\n' : ''}${yamlText(added)}`,
    )
}
