import type { Catalog } from '../../src/model/feeds'
import type { Article, Author, Tag } from '../../src/model/types'
import { createApp } from '../../src/routes/app'
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
  const category = makeCategory()
  const articles = Array.from({ length: ARTICLES }, (_, i) => {
    const published = new Date(NOW - (i + 1) * 3_600_000).toISOString()
    return makeArticle({
      slug: `story-${i}`,
      published,
      updated: published,
      author: authors[i % AUTHORS] as Author,
      categories: [category],
      tags: tags.slice(i * 5, i * 5 + 5),
    })
  })
  const catalog = { site: makeSite(), authors, categories: [category], tags, curated: [] }
  return { catalog, articles }
}

/** The app over that newsroom (bundled store, records in memory), its clock at NOW. */
export function bigNewsroomApp() {
  const { catalog, articles } = catalogAndArticles()
  const { store } = bareStore(catalog, articles, NOW)
  return createApp(() => store, { clock: () => NOW })
}
