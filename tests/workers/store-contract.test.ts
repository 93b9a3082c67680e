import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { type Catalog, listFeeds } from '../../src/model/feeds'
import type { Article, FeedDefinition, FeedFilter } from '../../src/model/types'
import { profileFragmentKey, profileViolationsKey } from '../../src/profiles/fragments'
import type { BundledStore } from '../../src/store/bundled'
import { D1Store } from '../../src/store/d1'
import {
  deleteArticle,
  PreconditionFailed,
  readArticle,
  writeArticle,
} from '../../src/store/d1-write'
import type { ArticleStore, ItemFragment, StoredArticle } from '../../src/store/types'
import { makeArticle, makeTag } from '../helpers/builders'
import { contractArticles, contractCatalog } from '../helpers/catalog'
import { bundledStore, storedOf } from '../helpers/stores'

const DB = (env as unknown as { DB: D1Database }).DB
const NOW = Date.parse('2026-03-02T00:00:00Z')
const SOON = '2026-03-05T10:00:00.000Z'
const LATER = '2026-03-10T10:00:00.000Z'
const base = contractCatalog()
const embargo = makeTag({ slug: 'embargo', name: 'Embargo' })
const catalog: Catalog = { ...base, tags: [...base.tags, embargo] }
const [science, culture] = base.categories as [Catalog['categories'][0], Catalog['categories'][0]]

// Twelve articles out by NOW, and two scheduled after it: one with a tag no other article has.
const visible = contractArticles()
const soon = makeArticle({
  slug: 'soon',
  published: SOON,
  updated: SOON,
  categories: [science],
  tags: [base.tags[0] as (typeof base.tags)[0], embargo],
})
const later = makeArticle({
  slug: 'later',
  published: LATER,
  updated: LATER,
  categories: [culture],
})
const articles: Article[] = [later, soon, ...visible]
const stored = storedOf(catalog, articles)
const decoder = new TextDecoder()
const text = (item: ItemFragment) =>
  typeof item.fragment === 'string' ? item.fragment : decoder.decode(item.fragment)

let bundled: BundledStore
let bundledReads: { count: number }
let d1: D1Store

beforeAll(async () => {
  ;({ store: bundled, reads: bundledReads } = bundledStore(catalog, stored, NOW))
  d1 = new D1Store(DB, { ...catalog, tags: [] }, { ttl: 0, build: 'test-build' })
  // Oldest first, as a newsroom would have published them, all written at NOW.
  for (const article of [...stored].reverse())
    await writeArticle(DB, { article, version: article.id, now: NOW })
})

// Which feeds an article is in, as FEED-RULES.md says it, written apart from the product's
// matchesFilter: a feed that names nothing holds every article; one that names categories, tags
// or authors holds an article that has any one of them.
function belongs(article: Article, filter: FeedFilter): boolean {
  const named = [
    ...filter.categories.map((slug) => `category:${slug}`),
    ...filter.tags.map((slug) => `tag:${slug}`),
    ...filter.authors.map((slug) => `author:${slug}`),
  ]
  if (named.length === 0) return true
  const has = new Set([
    ...article.categories.map((c) => `category:${c.slug}`),
    ...article.tags.map((t) => `tag:${t.slug}`),
    `author:${article.author.slug}`,
  ])
  return named.some((name) => has.has(name))
}

const expectedIn = (feed: FeedDefinition, now: number) =>
  articles.filter((a) => belongs(a, feed.filter) && Date.parse(a.published) <= now)

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
  it('lists every feed newest first, equal instants by id, scheduled articles left out', async () => {
    for (const feed of listFeeds(catalog)) {
      const expected = expectedIn(feed, NOW)
      const page = await store().page(feed, 0, 100, NOW)
      expect(
        page.articles.map((a) => a.id),
        feed.path,
      ).toEqual(expected.map((a) => a.id))
      expect(page.total, feed.path).toBe(expected.length)
      const state = await store().state(feed, NOW)
      const newest = expected.reduce((max, a) => (a.updated > max ? a.updated : max), '')
      expect(state.updated, feed.path).toBe(newest || new Date(0).toISOString())
      const counts = await store().counts([feed], NOW)
      expect(counts.get(feed.path), feed.path).toBe(expected.length)
    }
  })

  it('gives the same slices as the other store, each item its fragment', async () => {
    for (const feed of listFeeds(catalog)) {
      for (const [offset, limit] of views) {
        const page = await store().page(feed, offset, limit, NOW)
        const other = await bundled.page(feed, offset, limit, NOW)
        expect(page, `${feed.path} ${offset}+${limit}`).toEqual(other)
        for (const format of ['rss', 'atom', 'json']) {
          const items = await store().items(feed, offset, limit, format, NOW)
          expect(items.total).toBe(page.total)
          expect(items.items.map((i) => [i.id, text(i)])).toEqual(
            page.articles.map((a) => [a.id, stored.find((s) => s.id === a.id)?.fragments[format]]),
          )
        }
      }
    }
  })

  it('says when the next scheduled article of a feed appears, and only for its feeds', async () => {
    for (const feed of listFeeds(catalog)) {
      const waiting = articles
        .filter((a) => belongs(a, feed.filter) && Date.parse(a.published) > NOW)
        .map((a) => Date.parse(a.published))
      const state = await store().state(feed, NOW)
      expect(state.next, feed.path).toBe(waiting.length ? Math.min(...waiting) : undefined)
    }
  })

  it('says when the next scheduled article appears anywhere, the same for every feed', async () => {
    expect(await store().nextAppearance(NOW)).toBe(Date.parse(SOON))
    expect(await store().nextAppearance(Date.parse(SOON) - 1)).toBe(Date.parse(SOON))
    expect(await store().nextAppearance(Date.parse(SOON))).toBe(Date.parse(LATER))
    expect(await store().nextAppearance(Date.parse(LATER))).toBeUndefined()
  })

  it('shows a scheduled article from its minute on, not a millisecond before', async () => {
    const at = Date.parse(SOON)
    const site = listFeeds(catalog)[0] as FeedDefinition
    expect(await store().article('soon', at - 1)).toBeUndefined()
    expect((await store().page(site, 0, 1, at - 1)).articles[0]?.slug).not.toBe('soon')
    expect((await store().catalog(at - 1)).tags.map((t) => t.slug)).not.toContain('embargo')
    const found = await store().article('soon', at)
    expect((await found?.read())?.id).toBe(soon.id)
    expect((await store().page(site, 0, 1, at)).articles[0]?.slug).toBe('soon')
    expect((await store().catalog(at)).tags.map((t) => t.slug)).toContain('embargo')
  })

  it('turns over the revision of exactly the feeds a scheduled article enters, at its minute', async () => {
    const at = Date.parse(SOON)
    for (const feed of listFeeds(catalog)) {
      const before = await store().state(feed, at - 1)
      const after = await store().state(feed, at)
      const entered = belongs(soon, feed.filter)
      expect(after.revision !== before.revision, feed.path).toBe(entered)
      expect((await store().state(feed, at - 60_000)).revision, feed.path).toBe(before.revision)
      // Its date moves to the article's only where the article entered.
      expect(after.updated, feed.path).toBe(entered ? SOON : before.updated)
    }
  })

  it('lists every visible article newest first with its dates, a scheduled one from its minute', async () => {
    const site = listFeeds(catalog)[0] as FeedDefinition
    const listed = ({ id, slug, published, updated }: Article) => ({ id, slug, published, updated })
    const at = Date.parse(SOON)
    for (const now of [NOW, at - 1, at]) {
      const expected = expectedIn(site, now)
      for (const [offset, limit] of [...views, [0, 0]] as [number, number][]) {
        const listing = await store().listing(offset, limit, now)
        expect(listing.total, `${now} ${offset}+${limit}`).toBe(expected.length)
        expect(listing.articles, `${now} ${offset}+${limit}`).toEqual(
          expected.slice(offset, offset + limit).map(listed),
        )
      }
    }
    expect((await store().listing(0, 1, at)).articles[0]?.slug).toBe('soon')
    expect((await store().listing(0, 1, at - 1)).articles[0]?.slug).not.toBe('soon')
  })

  it('finds visible articles by slug, and reads them', async () => {
    const found = await store().article('story-4', NOW)
    const expected = visible.find((a) => a.slug === 'story-4') as Article
    expect(found?.updated).toBe(expected.updated)
    expect(await found?.read()).toEqual(expected)
    expect(await store().article('nope', NOW)).toBeUndefined()
  })

  it('knows the tags of visible articles only', async () => {
    expect((await store().catalog(NOW)).tags.map((t) => t.slug).sort()).toEqual([
      'engines',
      'music',
      'software',
    ])
  })

  it('gives a profile feed the same candidates, and reads the ones it keeps', async () => {
    const feed = listFeeds(catalog).find((f) => f.profile) as FeedDefinition
    const rules = feed.profile as NonNullable<FeedDefinition['profile']>
    const keys = { item: profileFragmentKey(rules, 'rss'), violations: profileViolationsKey(rules) }
    const mine = await store().candidates(feed, keys, 500, NOW)
    const theirs = await bundled.candidates(feed, keys, 500, NOW)
    expect(mine.candidates).toEqual(theirs.candidates)
    expect(mine.candidates.map((c) => c.id)).toEqual(expectedIn(feed, NOW).map((a) => a.id))
    const kept = await mine.read([0, 2])
    expect(kept.map(text)).toEqual(
      [0, 2].map((i) => stored.find((s) => s.id === mine.candidates[i]?.id)?.fragments[keys.item]),
    )
  })
})

describe('BundledStore listing', () => {
  it('answers from the index in memory, reading no article record', async () => {
    const before = bundledReads.count
    const listing = await bundled.listing(0, 100, NOW)
    expect(listing.articles).toHaveLength(visible.length)
    expect(bundledReads.count).toBe(before)
  })
})

// The state of every feed at `now`, by path.
async function revisions(store: ArticleStore, now: number): Promise<Map<string, string>> {
  const states = new Map<string, string>()
  for (const feed of listFeeds(catalog))
    states.set(feed.path, (await store.state(feed, now)).revision)
  return states
}

// Which feeds changed between two sets of revisions.
function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...before.keys()].filter((path) => before.get(path) !== after.get(path)).sort()
}

// The feeds an article is in (old or new version), by path.
function feedsOf(...versions: Article[]): string[] {
  return listFeeds(catalog)
    .filter((feed) => versions.some((a) => belongs(a, feed.filter)))
    .map((feed) => feed.path)
    .sort()
}

describe('D1Store revisions: a write changes exactly the feeds it touches', () => {
  const store = () => new D1Store(DB, { ...catalog, tags: [] }, { ttl: 0 })
  const write = (article: Article, now: number, version: string) =>
    writeArticle(DB, { article: storedOf(catalog, [article])[0] as StoredArticle, version, now })
  const T = Date.parse('2026-03-03T00:00:00Z')

  it('publishes into its own feeds only', async () => {
    const before = await revisions(store(), T)
    const fresh = makeArticle({
      published: '2026-03-02T12:00:00.000Z',
      updated: '2026-03-02T12:00:00.000Z',
      categories: [culture],
      tags: [],
    })
    await write(fresh, T, 'publish')
    expect(changed(before, await revisions(store(), T))).toEqual(feedsOf(fresh))
  })

  it('edits and moves: the feeds it leaves, the feeds it joins, the feeds it stays in', async () => {
    const story = visible[7] as Article
    const moved = { ...story, title: 'Moved', categories: [culture], tags: [embargo] }
    const before = await revisions(store(), T)
    await write(moved, T, 'move')
    expect(changed(before, await revisions(store(), T))).toEqual(feedsOf(story, moved))
  })

  it('deletes from the feeds it was in', async () => {
    const story = visible[9] as Article
    const before = await revisions(store(), T)
    await deleteArticle(DB, { id: story.id, version: 'delete', now: T })
    expect(changed(before, await revisions(store(), T))).toEqual(feedsOf(story))
  })

  it('schedules without a change; the article appears, and its feeds change, at its minute', async () => {
    const at = Date.parse('2026-03-04T08:00:00Z')
    const embargoed = makeArticle({
      published: '2026-03-04T08:00:00.000Z',
      updated: '2026-03-04T08:00:00.000Z',
      categories: [culture],
      tags: [],
    })
    const before = await revisions(store(), T)
    await write(embargoed, T, 'schedule')
    expect(changed(before, await revisions(store(), T))).toEqual([])
    const edited = { ...embargoed, title: 'Edited before it appears' }
    await write(edited, T + 1000, 'edit-scheduled')
    expect(changed(before, await revisions(store(), T))).toEqual([])
    expect(changed(await revisions(store(), at - 1), await revisions(store(), at))).toEqual(
      feedsOf(embargoed),
    )
  })

  it('claims each appeared article once', async () => {
    const claimed = await store().appeared(0, Date.parse('2026-03-05T12:00:00Z'))
    expect(claimed.map((a) => a.slug).sort()).toContain('soon')
    expect(await store().appeared(0, Date.parse('2026-03-05T12:00:00Z'))).toEqual([])
  })

  it('never brings back a deleted article through a conditional write', async () => {
    const article = stored[3] as StoredArticle
    const etag = await writeArticle(DB, { article, version: 'written', now: T })
    await deleteArticle(DB, { id: article.id, version: 'deleted', now: T })
    await expect(
      writeArticle(DB, {
        article: { ...article, title: 'Edited' },
        ifMatch: etag,
        version: 'edited',
        now: T,
      }),
    ).rejects.toBeInstanceOf(PreconditionFailed)
    expect(await readArticle(DB, article.id)).toBeUndefined()
    const { results } = await DB.prepare(
      'SELECT kind FROM memberships WHERE id = ? UNION ALL SELECT key FROM fragments WHERE id = ?',
    )
      .bind(article.id, article.id)
      .all()
    expect(results).toEqual([])
  })

  it('refuses a second article with a slug already taken, in the words the API looks for', async () => {
    const [first, second] = stored.slice(4) as [StoredArticle, StoredArticle]
    await writeArticle(DB, { article: first, version: 'a', now: T })
    await expect(
      writeArticle(DB, { article: { ...second, slug: first.slug }, version: 'b', now: T }),
    ).rejects.toThrow(/UNIQUE constraint failed: articles\.slug/)
  })
})

describe('BundledStore revisions: a build with one more article changes only its feeds', () => {
  it('recompiled with a new article, only the feeds it is in have a new revision', async () => {
    const fresh = makeArticle({
      published: '2026-03-01T12:00:00.000Z',
      updated: '2026-03-01T12:00:00.000Z',
      categories: [culture],
      tags: [],
    })
    const one = bundledStore(catalog, stored, NOW).store
    const two = bundledStore(
      catalog,
      storedOf(catalog, [later, soon, fresh, ...visible]),
      NOW,
    ).store
    expect(changed(await revisions(one, NOW), await revisions(two, NOW))).toEqual(feedsOf(fresh))
  })
})
