import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { listFeeds } from '../../src/model/feeds'
import { renderFragments } from '../../src/render/formats'
import { BundledStore } from '../../src/store/bundled'
import { compileBundle } from '../../src/store/compile'
import { D1Store } from '../../src/store/d1'
import {
  deleteArticle,
  PreconditionFailed,
  readArticle,
  writeArticle,
} from '../../src/store/d1-write'
import type { ArticleStore, FeedPage } from '../../src/store/types'
import { contractArticles, contractCatalog } from '../helpers/catalog'

const DB = (env as unknown as { DB: D1Database }).DB
const catalog = contractCatalog()
const articles = contractArticles()
const render = (a: (typeof articles)[number]) => renderFragments(a, catalog.site.url)

let bundled: BundledStore
let d1: D1Store

beforeAll(async () => {
  bundled = new BundledStore(compileBundle(catalog, articles, render, 'v1'))
  d1 = new D1Store(DB, { ...catalog, tags: [] }, { versionTtl: 0 })
  // Oldest first, as a newsroom would have published them.
  for (const article of [...articles].reverse()) {
    await writeArticle(DB, {
      article: { ...article, fragments: render(article) },
      version: article.id,
    })
  }
})

function shape(page: FeedPage) {
  return {
    ids: page.articles.map((a) => a.id),
    total: page.total,
    updated: page.updated,
    fragments: page.articles.map((a) => a.fragments),
  }
}

const views: [number, number][] = [
  [0, 3],
  [3, 3],
  [0, 10],
  [9, 5],
  [40, 3],
]

describe.each([
  ['bundled', () => bundled],
  ['D1', () => d1],
])('ArticleStore contract: %s', (_name, store: () => ArticleStore) => {
  it('lists every feed newest first, equal instants by id, with the same totals and dates', async () => {
    for (const feed of listFeeds(catalog)) {
      const expected = articles.filter((a) => {
        const { categories, tags, authors } = feed.filter
        if (categories.length + tags.length + authors.length === 0) return true
        return (
          a.categories.some((c) => categories.includes(c.slug)) ||
          a.tags.some((t) => tags.includes(t.slug)) ||
          authors.includes(a.author.slug)
        )
      })
      const page = await store().page(feed, 0, 100)
      expect(
        page.articles.map((a) => a.id),
        feed.path,
      ).toEqual(expected.map((a) => a.id))
      expect(page.total, feed.path).toBe(expected.length)
      const newest = expected.reduce((max, a) => (a.updated > max ? a.updated : max), '')
      expect(page.updated, feed.path).toBe(newest)
    }
  })

  it('gives the same slices as the other store', async () => {
    for (const feed of listFeeds(catalog)) {
      for (const [offset, limit] of views) {
        expect(
          shape(await store().page(feed, offset, limit)),
          `${feed.path} ${offset}+${limit}`,
        ).toEqual(shape(await bundled.page(feed, offset, limit)))
      }
    }
  })

  it('gives each feed format only its own fragments, in the same order as the articles', async () => {
    for (const feed of listFeeds(catalog)) {
      for (const format of ['rss', 'atom', 'json']) {
        const { items, total, updated } = await store().items(feed, 0, 5, [format])
        const page = await bundled.page(feed, 0, 5)
        expect({ total, updated }).toEqual({ total: page.total, updated: page.updated })
        expect(items.map((i) => [i.id, i.fragments[format]])).toEqual(
          page.articles.map((a) => [a.id, a.fragments[format]]),
        )
      }
    }
  })

  it('finds articles by slug, with their fragments', async () => {
    const found = await store().article('story-4')
    expect(found?.id).toBe(articles.find((a) => a.slug === 'story-4')?.id)
    expect(found?.fragments).toEqual(render(found as (typeof articles)[number]))
    expect(await store().article('nope')).toBeUndefined()
  })

  it('knows the tags articles use', async () => {
    expect((await store().catalog()).tags.map((t) => t.slug).sort()).toEqual([
      'engines',
      'music',
      'software',
    ])
  })
})

describe('D1Store versions', () => {
  it('changes the content version on every write and delete', async () => {
    const store = new D1Store(DB, { ...catalog, tags: [] }, { versionTtl: 0 })
    const before = await store.version()
    const article = articles[0] as (typeof articles)[number]
    await writeArticle(DB, {
      article: { ...article, title: 'Edited', fragments: render(article) },
      version: 'after-edit',
    })
    const afterEdit = await store.version()
    expect(afterEdit).not.toBe(before)
    await deleteArticle(DB, { id: article.id, version: 'after-delete' })
    expect(await store.version()).not.toBe(afterEdit)
    const site = listFeeds(catalog)[0]
    if (!site) throw new Error('no site feed')
    expect((await store.page(site, 0, 100)).articles.map((a) => a.id)).not.toContain(article.id)
  })

  it('never brings back a deleted article through a conditional write', async () => {
    const article = articles[1] as (typeof articles)[number]
    const etag = await writeArticle(DB, {
      article: { ...article, fragments: render(article) },
      version: 'written',
    })
    await deleteArticle(DB, { id: article.id, version: 'deleted' })
    await expect(
      writeArticle(DB, {
        article: { ...article, title: 'Edited', fragments: render(article) },
        ifMatch: etag,
        version: 'edited',
      }),
    ).rejects.toBeInstanceOf(PreconditionFailed)
    expect(await readArticle(DB, article.id)).toBeUndefined()
    const { results } = await DB.prepare('SELECT kind FROM memberships WHERE id = ?')
      .bind(article.id)
      .all()
    expect(results).toEqual([])
  })

  it('refuses a second article with a slug already taken, in the words the API looks for', async () => {
    const [first, second] = articles as [(typeof articles)[number], (typeof articles)[number]]
    await writeArticle(DB, { article: { ...first, fragments: render(first) }, version: 'a' })
    const clash = { ...second, slug: first.slug }
    await expect(
      writeArticle(DB, { article: { ...clash, fragments: render(clash) }, version: 'b' }),
    ).rejects.toThrow(/UNIQUE constraint failed: articles\.slug/)
  })

  it('puts the deployed build in the version, so a new build never matches an old ETag', async () => {
    const one = new D1Store(DB, { ...catalog, tags: [] }, { versionTtl: 0, build: 'b1' })
    const two = new D1Store(DB, { ...catalog, tags: [] }, { versionTtl: 0, build: 'b2' })
    expect(await one.version()).not.toBe(await two.version())
  })
})
