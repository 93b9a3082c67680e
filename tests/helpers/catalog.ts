import type { Catalog } from '../../src/model/feeds'
import type { Article } from '../../src/model/types'
import { FLIPBOARD } from '../../src/profiles/rules'
import { makeArticle, makeAuthor, makeCategory, makeSite, makeTag } from './builders'

const ada = makeAuthor()
const grace = makeAuthor({
  slug: 'grace-hopper',
  name: 'Grace Hopper',
  url: 'https://news.test/authors/grace-hopper/',
})
const science = makeCategory()
const culture = makeCategory({ slug: 'culture', name: 'Culture', description: 'Culture news.' })
const tags = ['engines', 'software', 'music'].map((slug) =>
  makeTag({ slug, name: slug.toUpperCase() }),
)

/** A catalog with two authors, two categories, three tags and one curated feed. */
export function contractCatalog(): Catalog {
  return {
    site: makeSite({ defaultItems: 3, maxItems: 10 }),
    authors: [ada, grace],
    categories: [science, culture],
    tags,
    curated: [
      {
        path: 'feeds/picks',
        kind: 'curated',
        name: 'Picks',
        title: 'Picks',
        description: 'Hand-picked.',
        filter: { categories: ['culture'], tags: ['engines'], authors: [] },
        maxItems: 5,
      },
      {
        path: 'feeds/flipboard',
        kind: 'curated',
        name: 'For Flipboard',
        title: 'For Flipboard',
        description: 'Articles with a large lead image.',
        filter: { categories: [], tags: [], authors: [] },
        maxItems: 50,
        profile: FLIPBOARD,
      },
    ],
  }
}

/** Twelve articles over the catalog, newest first, two of them published at the same instant. */
export function contractArticles(): Article[] {
  const articles = Array.from({ length: 12 }, (_, i) => {
    const day = String(28 - i).padStart(2, '0')
    const published = i === 5 ? '2026-02-23T00:00:00.000Z' : `2026-02-${day}T00:00:00.000Z`
    return makeArticle({
      id: `urn:uuid:00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
      slug: `story-${i}`,
      url: `https://news.test/articles/story-${i}/`,
      title: `Story ${i}`,
      published,
      updated: i % 4 === 0 ? '2026-03-01T00:00:00.000Z' : published,
      author: i % 3 === 0 ? grace : ada,
      categories: i % 2 === 0 ? [science] : [culture, science],
      tags: [tags[i % 3] as (typeof tags)[number]],
    })
  })
  // Newest first; equal instants by id, descending.
  return articles.sort((a, b) =>
    a.published === b.published ? (a.id < b.id ? 1 : -1) : a.published < b.published ? 1 : -1,
  )
}
