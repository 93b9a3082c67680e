/**
 * A deterministic archive of Article models for benchmarks and load tests: seeded, so every
 * run of every machine measures the same bytes. Bodies are what newsrooms store: the generated
 * newsroom's Markdown (10 to 40 paragraphs with lists, tables, code, quotes, images; see
 * newsroom.ts) through the real content pipeline. Rendering a body takes milliseconds, so large
 * archives draw their bodies from a pool of distinct ones; each article has 1 to 3 of 20
 * categories, a few of 200 tags and a credited lead image.
 */
import { renderMarkdown } from '../src/content/markdown'
import type { Catalog } from '../src/model/feeds'
import type { Article, Author, Category, Site } from '../src/model/types'
import { articleBody, random } from './newsroom'

/** Distinct bodies rendered once per process; articles beyond reuse them in turn. */
export const BODY_POOL = 400

function pick<T>(next: () => number, list: readonly T[]): T {
  return list[Math.floor(next() * list.length)] as T
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

const bodies = new Map<number, { html: string; text: string }>()

/** Body `n` of the pool, rendered from the newsroom's Markdown by the real pipeline. */
export function corpusBody(n: number): { html: string; text: string } {
  const key = n % BODY_POOL
  let body = bodies.get(key)
  if (!body) {
    const url = `https://bench.test/articles/story-${key}/`
    const rendered = renderMarkdown(articleBody(random(9_000 + key), key), url)
    body = { html: rendered.html, text: rendered.text }
    bodies.set(key, body)
  }
  return body
}

/**
 * `count` articles, newest first (one an hour back from `newest`), from `seed`. They pass
 * through JSON once, as stored articles do, so their strings are flat like those of a real
 * store, not concatenation trees.
 */
export function generateArticles(
  count: number,
  seed = 42,
  catalog = corpusCatalog(),
  newest = Date.UTC(2026, 10, 1),
): Article[] {
  const next = random(seed)
  const sentence = () =>
    `${pick(next, ['Update', 'Report', 'Review', 'Patch', 'Launch'])} ${Math.floor(next() * 1e6)} & “more” for ${pick(next, ['Windows', 'Xbox', 'Surface', 'Azure'])}`
  const articles = Array.from({ length: count }, (_, i): Article => {
    const slug = `story-${i}`
    const url = `https://bench.test/articles/${slug}/`
    const published = new Date(newest - i * 3_600_000).toISOString()
    const categoryCount = 1 + Math.floor(next() * 3)
    const categories = [
      ...new Set(Array.from({ length: categoryCount }, () => pick(next, catalog.categories))),
    ]
    const hex = i.toString(16).padStart(12, '0')
    const body = corpusBody(seed + i)
    return {
      id: `urn:uuid:${seed.toString(16).padStart(8, '0')}-0000-4000-8000-${hex}`,
      slug,
      url,
      title: sentence(),
      summary: `${sentence()}. ${sentence()}.`,
      contentHtml: body.html,
      text: body.text,
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
