import type { Catalog } from '../../src/model/feeds'
import type { ProfileRules } from '../../src/model/profile'
import { slugify } from '../../src/model/slug'
import type { Article, Author, Category, FeedDefinition, Tag } from '../../src/model/types'
import { PROFILES } from '../../src/profiles/rules'
import { createApp } from '../../src/routes/app'
import type { ArticleStore } from '../../src/store/types'
import { makeArticle, makeAuthor, makeCategory, makeSite } from './builders'
import { bareStore } from './stores'

// A newsroom migrated from a CMS that tagged everything: 10,000 articles, 50,000 tags (five
// of its own on each article) in several scripts, and 2,000 authors.
export const NOW = Date.parse('2026-12-01T00:00:00Z')
export const ARTICLES = 10_000
export const TAGS = 50_000
export const AUTHORS = 2_000
const NAMES = [
  (i: number) => `Topic ${i}`,
  (i: number) => `Été ${i}`,
  (i: number) => `Écosse ${i}`,
  (i: number) => `Øresund ${i}`,
  (i: number) => `東京 ${i}`,
  (i: number) => `서울 ${i}`,
  (i: number) => `カメラ ${i}`,
  (i: number) => `Москва ${i}`,
  (i: number) => `Ελλάδα ${i}`,
  (i: number) => `🚀 Launch ${i}`,
  (i: number) => `${2000 + (i % 50)} season ${i}`,
  (i: number) => `zebra ${i}`,
]

// As many categories as the generated newsroom (`npm run newsroom`), with names as long.
const CATEGORIES = [
  'Windows',
  'Security',
  'Gaming',
  'Xbox',
  'Surface and hardware',
  'Artificial intelligence',
  'Microsoft 365',
  'Software and apps',
  'Business and enterprise',
  'Policy and regulation',
  'Reviews',
  'Deals and buying guides',
]

/** Two curated feeds and two aggregator feeds, as a newsroom's feeds/ would hold. */
function curated(categories: Category[]): FeedDefinition[] {
  const feed = (name: string, slugs: string[], profile?: ProfileRules): FeedDefinition => ({
    path: `feeds/${slugify(name)}`,
    kind: 'curated',
    name,
    title: `The Daily Test: ${name}`,
    description: `${name}, chosen by the editors.`,
    filter: { categories: slugs, tags: [], authors: [] },
    maxItems: 50,
    ...(profile ? { profile } : {}),
  })
  const slugs = categories.map((c) => c.slug)
  return [
    feed('Security threats', slugs.slice(1, 2)),
    feed('Weekend reading', slugs.slice(9, 12)),
    feed('For Flipboard', slugs.slice(0, 4), PROFILES.flipboard),
    feed('For MSN', slugs.slice(0, 6), PROFILES.msn),
  ]
}

function catalogAndArticles(): { catalog: Catalog; articles: Article[] } {
  const tags: Tag[] = Array.from({ length: TAGS }, (_, i) => ({
    slug: `t-${i}`,
    name: (NAMES[i % NAMES.length] as (i: number) => string)(i),
  }))
  const authors: Author[] = Array.from({ length: AUTHORS }, (_, i) =>
    makeAuthor({
      slug: `writer-${i}`,
      name: `${['Zoë', 'Ada', 'Émile', '李'][i % 4]} Writer ${i}`,
    }),
  )
  const categories = CATEGORIES.map((name) => makeCategory({ slug: slugify(name), name }))
  const articles = Array.from({ length: ARTICLES }, (_, i) => {
    const published = new Date(NOW - (i + 1) * 3_600_000).toISOString()
    return makeArticle({
      slug: `story-${i}`,
      // Headlines and summaries as long as a newsroom's, for the index's latest articles.
      title: `Story ${i}: what the regulators, the vendors and the people who run the systems say now`,
      summary: `A summary of story ${i} as long as a newsroom writes one: two sentences that say what happened, to whom, and why a reader would want to know it today rather than next week, with a name or two in it.`,
      published,
      updated: published,
      author: authors[i % AUTHORS] as Author,
      categories: [categories[i % categories.length] as Category],
      tags: tags.slice(i * 5, i * 5 + 5),
    })
  })
  const catalog = { site: makeSite(), authors, categories, tags, curated: curated(categories) }
  return { catalog, articles }
}

/**
 * The app over that newsroom (bundled store, records in memory), its clock at NOW; `wrap` sees
 * the store first (to count what is asked of it).
 */
export function bigNewsroomApp(wrap: (store: ArticleStore) => ArticleStore = (store) => store) {
  const store = wrap(bigNewsroomStore())
  return createApp(() => store, { clock: () => NOW })
}

/** That newsroom's bundled store, built in memory (the lists benchmark's Worker serves it). */
export function bigNewsroomStore(): ArticleStore {
  const { catalog, articles } = catalogAndArticles()
  return bareStore(catalog, articles, NOW).store
}
