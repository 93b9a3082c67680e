/**
 * A deterministic synthetic archive for benchmarks and load tests: seeded, so every run of
 * every machine measures the same bytes. Bodies are ~6 KB of HTML with entities, quotes and
 * emoji; each article has 1–3 of 20 categories, a few tags and a credited lead image.
 */
import type { Catalog } from '../src/model/feeds'
import type { Article, Author, Category, Site } from '../src/model/types'

const WORDS =
  'government security attack server update window patch report minister statement cloud device research data privacy policy market launch review network software hardware developer engineer'.split(
    ' ',
  )
const FLAVOUR = [
  'AT&T',
  '“smart” quotes',
  "O'Brien",
  '<angle> brackets',
  'café',
  '🚀',
  '日本語',
  'naïve',
  '€100',
  '½',
]

/** mulberry32: a small, fast, seeded PRNG. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function pick<T>(next: () => number, list: readonly T[]): T {
  return list[Math.floor(next() * list.length)] as T
}

function sentence(next: () => number, words: number): string {
  const parts = Array.from({ length: words }, () => pick(next, WORDS))
  parts.splice(Math.floor(next() * words), 0, pick(next, FLAVOUR))
  const text = parts.join(' ')
  return `${text[0]?.toUpperCase()}${text.slice(1)}.`
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function body(next: () => number, url: string): string {
  const paragraphs: string[] = []
  let length = 0
  while (length < 6000) {
    const text = escapeHtml(Array.from({ length: 4 }, () => sentence(next, 12)).join(' '))
    const p =
      next() < 0.3
        ? `<p>${text} <a href="${url}#ref">“Source”</a></p>`
        : next() < 0.15
          ? `<blockquote><p>${text}</p></blockquote>`
          : `<p>${text}</p>`
    paragraphs.push(p)
    length += p.length
  }
  return paragraphs.join('\n')
}

export const CORPUS_SITE: Site = {
  title: 'Benchmark Times',
  description: 'A synthetic archive.',
  url: 'https://bench.test',
  language: 'en-US',
  copyright: '© Benchmark Times',
  logo: 'https://bench.test/logo.png',
  icon: 'https://bench.test/icon.png',
  defaultItems: 50,
  maxItems: 100,
  maxAge: 300,
  staleWhileRevalidate: 600,
  staleIfError: 86400,
}

/** The catalog of the synthetic archive: 20 categories, 12 authors, no curated feeds. */
export function corpusCatalog(): Catalog {
  const categories: Category[] = Array.from({ length: 20 }, (_, i) => ({
    slug: `section-${i}`,
    name: `Section ${i} & more`,
    description: `Section ${i}.`,
  }))
  const authors: Author[] = Array.from({ length: 12 }, (_, i) => ({
    slug: `writer-${i}`,
    name: `Writer ${i} O'Neil`,
    bio: 'Writes.',
    url: `https://bench.test/authors/writer-${i}/`,
    profiles: [],
  }))
  const tags = Array.from({ length: 200 }, (_, i) => ({ slug: `topic-${i}`, name: `Topic ${i}` }))
  return { site: CORPUS_SITE, authors, categories, tags, curated: [] }
}

/**
 * `count` articles, newest first, from `seed`. They pass through JSON once, as the bundled
 * store's do, so their strings are flat like those of a real store, not concatenation trees.
 */
export function generateArticles(count: number, seed = 42, catalog = corpusCatalog()): Article[] {
  const next = random(seed)
  const newest = Date.UTC(2026, 10, 1)
  const articles = Array.from({ length: count }, (_, i): Article => {
    const slug = `story-${i}`
    const url = `https://bench.test/articles/${slug}/`
    const published = new Date(newest - i * 3_600_000).toISOString()
    const categoryCount = 1 + Math.floor(next() * 3)
    const categories = [
      ...new Set(Array.from({ length: categoryCount }, () => pick(next, catalog.categories))),
    ]
    const hex = i.toString(16).padStart(12, '0')
    return {
      id: `urn:uuid:${seed.toString(16).padStart(8, '0')}-0000-4000-8000-${hex}`,
      slug,
      url,
      title: sentence(next, 8),
      summary: sentence(next, 30),
      contentHtml: body(next, url),
      text: 'Synthetic body text.',
      published,
      updated: published,
      author: pick(next, catalog.authors),
      categories,
      tags: [pick(next, catalog.tags), pick(next, catalog.tags)].filter(
        (t, j, all) => all.indexOf(t) === j,
      ),
      image: {
        url: `https://bench.test/images/${i}.jpg`,
        alt: 'A picture',
        caption: 'A “caption” & more',
        credit: 'Photographer / Agency',
        width: 1600,
        height: 900,
        type: 'image/jpeg',
        length: 182_000 + i,
      },
    }
  })
  return articles.map((article) => JSON.parse(JSON.stringify(article)))
}
