import type { Redirect } from './redirects'
import type { Article, Author, Category, FeedDefinition, FeedFilter, Site, Tag } from './types'

/** The publisher's descriptive data, from which every feed definition follows. */
export interface Catalog {
  site: Site
  authors: Author[]
  categories: Category[]
  tags: Tag[]
  curated: FeedDefinition[]
  /** Old addresses and where they lead now (content/redirects.yaml). */
  redirects?: Redirect[]
}

const ALL: FeedFilter = { categories: [], tags: [], authors: [] }

function only(field: keyof FeedFilter, slug: string): FeedFilter {
  return { ...ALL, [field]: [slug] }
}

/** The feed of the whole site. */
export function siteFeed(site: Site): FeedDefinition {
  return {
    path: '',
    kind: 'site',
    name: site.title,
    title: site.title,
    description: site.description,
    filter: ALL,
    maxItems: site.maxItems,
  }
}

/** Every feed the catalog implies: site, categories, authors, tags, then curated, in that order. */
export function listFeeds(catalog: Catalog): FeedDefinition[] {
  const { site } = catalog
  const maxItems = site.maxItems
  return [
    siteFeed(site),
    ...catalog.categories.map(
      (c): FeedDefinition => ({
        path: `categories/${c.slug}`,
        kind: 'category',
        name: c.name,
        title: `${site.title}: ${c.name}`,
        description: c.description,
        filter: only('categories', c.slug),
        maxItems,
      }),
    ),
    ...catalog.authors.map(
      (a): FeedDefinition => ({
        path: `authors/${a.slug}`,
        kind: 'author',
        name: a.name,
        title: `${site.title}: ${a.name}`,
        description: `Articles by ${a.name}${a.role ? `, ${a.role}` : ''}.`,
        filter: only('authors', a.slug),
        maxItems,
      }),
    ),
    ...catalog.tags.map(
      (t): FeedDefinition => ({
        path: `tags/${t.slug}`,
        kind: 'tag',
        name: t.name,
        title: `${site.title}: ${t.name}`,
        description: `Articles tagged ${t.name}.`,
        filter: only('tags', t.slug),
        maxItems,
      }),
    ),
    ...catalog.curated,
  ]
}

/** Whether an article belongs in a feed: any-of its categories, tags or author (all for none). */
export function matchesFilter(article: Article, filter: FeedFilter): boolean {
  const { categories, tags, authors } = filter
  if (categories.length + tags.length + authors.length === 0) return true
  return (
    article.categories.some((c) => categories.includes(c.slug)) ||
    article.tags.some((t) => tags.includes(t.slug)) ||
    authors.includes(article.author.slug)
  )
}

const feedIndexes = new WeakMap<Catalog, Map<string, FeedDefinition>>()

/** The feed at `path` (`''`, `categories/security`, …), if the catalog defines one. */
export function findFeed(catalog: Catalog, path: string): FeedDefinition | undefined {
  let index = feedIndexes.get(catalog)
  if (!index) {
    index = new Map(listFeeds(catalog).map((feed) => [feed.path, feed]))
    feedIndexes.set(catalog, index)
  }
  return index.get(path)
}
