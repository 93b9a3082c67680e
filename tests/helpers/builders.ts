import { siteFeed } from '../../src/model/feeds'
import type { Article, Author, Category, FeedDefinition, Site, Tag } from '../../src/model/types'
import type { FeedDocument } from '../../src/render/document'
import { joinChunks } from '../../src/render/document'
import { FORMATS, type FormatName, renderFragments } from '../../src/render/formats'

export const ORIGIN = 'https://news.test'

/** A site with every optional field left out unless given. */
export function makeSite(overrides: Partial<Site> = {}): Site {
  return {
    title: 'The Daily Test',
    description: 'Tests, daily.',
    url: ORIGIN,
    language: 'en-US',
    copyright: '© 2026 The Daily Test',
    defaultItems: 20,
    maxItems: 100,
    maxAge: 300,
    staleWhileRevalidate: 600,
    staleIfError: 86400,
    ...overrides,
  }
}

export function makeAuthor(overrides: Partial<Author> = {}): Author {
  const slug = overrides.slug ?? 'ada-lovelace'
  return {
    slug,
    name: 'Ada Lovelace',
    bio: 'Writes about engines.',
    url: `${ORIGIN}/authors/${slug}/`,
    profiles: [],
    ...overrides,
  }
}

export function makeCategory(overrides: Partial<Category> = {}): Category {
  return { slug: 'science', name: 'Science', description: 'Science news.', ...overrides }
}

export function makeTag(overrides: Partial<Tag> = {}): Tag {
  return { slug: 'engines', name: 'Engines', ...overrides }
}

let counter = 0

/** An article with a fresh id and slug; dates default to 2026-01-02T03:04:05Z. */
export function makeArticle(overrides: Partial<Article> = {}): Article {
  counter += 1
  const n = counter.toString(16).padStart(12, '0')
  const slug = overrides.slug ?? `article-${counter}`
  return {
    id: `urn:uuid:00000000-0000-4000-8000-${n}`,
    slug,
    url: `${ORIGIN}/articles/${slug}/`,
    title: `Article ${counter}`,
    summary: 'A summary.',
    contentHtml: '<p>Body.</p>',
    text: 'Body.',
    published: '2026-01-02T03:04:05.000Z',
    updated: '2026-01-02T03:04:05.000Z',
    author: makeAuthor(),
    categories: [makeCategory()],
    tags: [makeTag()],
    ...overrides,
  }
}

/** An untitled article (a status, a photo): its summary and text stand in for a headline. */
export function makeUntitledArticle(overrides: Partial<Article> = {}): Article {
  return makeArticle({
    title: '',
    summary: 'Bridge closed overnight on the north side while crews replace the expansion joints',
    contentHtml:
      '<p>Bridge closed overnight on the north side while crews replace the expansion joints</p>',
    text: 'Bridge closed overnight on the north side while crews replace the expansion joints',
    ...overrides,
  })
}

/** An article whose body is one table, and whose summary is the table's words (as the build takes it). */
export function makeTableOnlyArticle(overrides: Partial<Article> = {}): Article {
  return makeArticle({
    summary: 'Engine Power Difference Engine 1 kW',
    contentHtml:
      '<table><thead><tr><th>Engine</th><th>Power</th></tr></thead><tbody><tr><td>Difference Engine</td><td>1 kW</td></tr></tbody></table>',
    text: '',
    ...overrides,
  })
}

/** The episode of a podcast: a lead image with its enclosure facts, then an MP3 and a transcript. */
export function makeAttachmentArticle(overrides: Partial<Article> = {}): Article {
  return makeArticle({
    image: {
      url: `${ORIGIN}/images/studio.jpg`,
      alt: 'The studio',
      type: 'image/jpeg',
      length: 48_000,
    },
    attachments: [
      {
        url: `${ORIGIN}/media/episode-12.mp3`,
        type: 'audio/mpeg',
        length: 24_986_239,
        duration: 1_561,
        title: 'Episode 12 & the engines',
      },
      { url: `${ORIGIN}/media/episode-12.pdf`, type: 'application/pdf', title: 'Transcript' },
    ],
    ...overrides,
  })
}

/** A document for `feed` (the site feed by default) whose update is its newest article's. */
export function makeDocument(
  articles: readonly Article[],
  overrides: Partial<FeedDocument> = {},
): FeedDocument {
  const site = overrides.site ?? makeSite()
  const feed: FeedDefinition = overrides.feed ?? siteFeed(site)
  const updated = articles.reduce(
    (max, a) => (a.updated > max ? a.updated : max),
    '1970-01-01T00:00:00.000Z',
  )
  return { site, feed, selfUrl: `${site.url}/feed`, updated, ...overrides }
}

/** Renders a whole feed the way the Worker does: fragments per item, then head and tail. */
export function renderFeed(
  format: FormatName,
  articles: readonly Article[],
  overrides: Partial<FeedDocument> = {},
): string {
  const doc = makeDocument(articles, overrides)
  const spec = FORMATS.find((f) => f.name === format)
  if (!spec) throw new Error(format)
  const items = articles.map((a) => renderFragments(a, doc.site.url)[format])
  return joinChunks(spec.render(doc, items))
}
