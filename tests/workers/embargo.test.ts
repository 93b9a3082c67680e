import { applyD1Migrations, createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import type { Hono } from 'hono'
import { beforeAll, describe, expect, it } from 'vitest'
import { type Catalog, listFeeds, matchesFilter } from '../../src/model/feeds'
import type { Article, FeedDefinition } from '../../src/model/types'
import { encodePath } from '../../src/render/document'
import { formatsOf } from '../../src/render/formats'
import { createApp } from '../../src/routes/app'
import type { AppEnv } from '../../src/routes/context'
import { D1Store } from '../../src/store/d1'
import { writeArticle } from '../../src/store/d1-write'
import type { ArticleStore } from '../../src/store/types'
import { makeArticle, makeTag } from '../helpers/builders'
import { contractArticles, contractCatalog } from '../helpers/catalog'
import { bundledStore, storedOf } from '../helpers/stores'

const bindings = env as unknown as {
  DB: D1Database
  DB_OTHER: D1Database
  TEST_MIGRATIONS: Parameters<typeof applyD1Migrations>[1]
}
const ORIGIN = 'https://news.test'
const NOW = Date.parse('2026-03-02T00:00:00Z')
const MINUTE = '2026-03-02T12:00:00.000Z'
const T = Date.parse(MINUTE)

// Two newsrooms alike but for one scheduled article at the same minute: in one it goes to
// science, by Ada, tagged engines and a tag of its own; in the other to culture, by Grace,
// tagged music and another tag of its own.
const base = contractCatalog()
const [science, culture] = base.categories as [Catalog['categories'][0], Catalog['categories'][0]]
const [ada, grace] = base.authors as [Catalog['authors'][0], Catalog['authors'][0]]
const [engines, , music] = base.tags as [Catalog['tags'][0], Catalog['tags'][0], Catalog['tags'][0]]
const launch = makeTag({ slug: 'launch', name: 'Launch' })
const merger = makeTag({ slug: 'merger', name: 'Merger' })
const here = makeArticle({
  id: 'urn:uuid:00000000-0000-4000-8000-00000000aaaa',
  slug: 'embargoed-here',
  url: 'https://news.test/articles/embargoed-here/',
  published: MINUTE,
  updated: MINUTE,
  author: ada,
  categories: [science],
  tags: [engines as Catalog['tags'][0], launch],
})
const elsewhere = makeArticle({
  id: 'urn:uuid:00000000-0000-4000-8000-00000000bbbb',
  slug: 'embargoed-elsewhere',
  url: 'https://news.test/articles/embargoed-elsewhere/',
  published: MINUTE,
  updated: MINUTE,
  author: grace,
  categories: [culture],
  tags: [music as Catalog['tags'][0], merger],
})
// Every feed either newsroom will have once its article is out: both new tags included.
const everyFeed = listFeeds({ ...base, tags: [...base.tags, launch, merger] })

function feedFiles(feed: FeedDefinition): string[] {
  const dir = feed.path ? `/${encodePath(feed.path)}/` : '/'
  return formatsOf(feed).map((format) => `${dir}${format.file}`)
}

// Every address a reader or a crawler may ask for: each feed in each format, each feed's page,
// the index, the lists (filtered too), OPML, sitemaps, robots.txt, article pages.
const PATHS = [
  ...everyFeed.flatMap(feedFiles),
  ...everyFeed.map((feed) => (feed.path ? `/${encodePath(feed.path)}/` : '/')),
  '/tags/',
  '/tags/?q=e',
  '/authors/',
  '/feeds.opml',
  '/tags.opml',
  '/sitemap.xml',
  '/sitemaps/articles-1.xml',
  '/news-sitemap.xml',
  '/robots.txt',
  '/articles/story-0/',
  `/articles/${here.slug}/`,
  `/articles/${elsewhere.slug}/`,
]

// Which cache layer answered is no part of the representation: both newsrooms of a store share
// this isolate's edge cache (where equal revisions find each other's copies), and a Cache API
// hit carries the runtime's own Age, Date and CF-Cache-Status.
const LAYER_HEADERS = new Set(['x-cache', 'x-cache-layer', 'age', 'date', 'cf-cache-status'])

interface Answer {
  status: number
  headers: [string, string][]
  body: string
}

interface Newsroom {
  store: ArticleStore
  app: Hono<AppEnv>
  clock: { now: number }
}

function newsroom(store: ArticleStore): Newsroom {
  const clock = { now: NOW }
  return { store, clock, app: createApp(() => store, { clock: () => clock.now }) }
}

async function answer(room: Newsroom, path: string, at: number, origin = ORIGIN): Promise<Answer> {
  room.clock.now = at
  const ctx = createExecutionContext()
  const response = await room.app.fetch(new Request(`${origin}${path}`), bindings, ctx)
  const body = await response.text()
  await waitOnExecutionContext(ctx)
  const headers = [...response.headers].filter(([name]) => !LAYER_HEADERS.has(name))
  return { status: response.status, headers, body }
}

const visible = contractArticles()
const catalogWith = (tag: Catalog['tags'][0]): Catalog => ({
  ...base,
  tags: [...base.tags, tag],
})

function bundledNewsroom(article: Article, tag: Catalog['tags'][0]): Newsroom {
  const catalog = catalogWith(tag)
  return newsroom(bundledStore(catalog, storedOf(catalog, [article, ...visible]), NOW).store)
}

async function d1Newsroom(
  db: D1Database,
  article: Article,
  tag: Catalog['tags'][0],
): Promise<Newsroom> {
  const catalog = catalogWith(tag)
  // The same writes in the same order, then the scheduled one, each under the same version.
  for (const stored of storedOf(catalog, [...visible].reverse()))
    await writeArticle(db, { article: stored, version: stored.id, now: NOW })
  const [scheduled] = storedOf(catalog, [article])
  if (!scheduled) throw new Error('no stored article')
  await writeArticle(db, { article: scheduled, version: 'scheduled', now: NOW })
  return newsroom(new D1Store(db, { ...catalog, tags: [] }, { ttl: 0, build: 'test-build' }))
}

const rooms: Record<string, [Newsroom, Newsroom]> = {}

beforeAll(async () => {
  await applyD1Migrations(bindings.DB_OTHER, bindings.TEST_MIGRATIONS)
  rooms.bundled = [bundledNewsroom(here, launch), bundledNewsroom(elsewhere, merger)]
  rooms.D1 = [
    await d1Newsroom(bindings.DB, here, launch),
    await d1Newsroom(bindings.DB_OTHER, elsewhere, merger),
  ]
})

// The addresses whose article set the scheduled article changes: its feeds' files and pages.
function entered(article: Article): string[] {
  return everyFeed
    .filter((feed) => matchesFilter(article, feed.filter))
    .flatMap((feed) => feedFiles(feed))
    .sort()
}

describe.each(['bundled', 'D1'])('an embargo on the %s store', (name) => {
  it('tells nothing before its minute: every answer is byte for byte that of a newsroom whose scheduled article is elsewhere', async () => {
    const [one, other] = rooms[name] as [Newsroom, Newsroom]
    // Long before, inside the last max_age, and in the last seconds.
    for (const at of [T - 3_600_000, T - 200_000, T - 30_000, T - 1]) {
      for (const path of PATHS) {
        const mine = await answer(one, path, at)
        const theirs = await answer(other, path, at)
        expect(mine, `${path} at ${new Date(at).toISOString()}`).toEqual(theirs)
      }
    }
  }, 120_000)

  it('still caps every answer at the minute, so the article is on time', async () => {
    const [one] = rooms[name] as [Newsroom, Newsroom]
    for (const path of ['/rss.xml', '/tags/music/rss.xml', '/authors/grace-hopper/', '/']) {
      const response = await answer(one, path, T - 30_000)
      expect(response.headers, path).toContainEqual([
        'cache-control',
        'public, max-age=30, stale-if-error=86400',
      ])
    }
    // RSS <ttl> stays site.yaml's: it is part of the bytes, and bytes change only with content.
    expect((await answer(one, '/tags/music/rss.xml', T - 30_000)).body).toContain('<ttl>5</ttl>')
    expect((await answer(one, '/rss.xml', T - 30_000)).body).toContain('<ttl>5</ttl>')
  })

  it('appears at its minute in exactly its feeds, and each newsroom in its own', {
    timeout: 60_000,
  }, async () => {
    const pairs: [Newsroom, Article][] = (rooms[name] as [Newsroom, Newsroom]).map((room, i) => [
      room,
      i === 0 ? here : elsewhere,
    ])
    for (const [i, [room, article]] of pairs.entries()) {
      // An origin of its own: two D1 newsrooms whose write histories are alike give their site
      // feeds one revision at the minute, and would find each other's copies at the edge.
      const origin = `https://newsroom-${i}.test`
      const changed: string[] = []
      for (const path of everyFeed.flatMap(feedFiles)) {
        const before = await answer(room, path, T - 1, origin)
        const after = await answer(room, path, T, origin)
        const etag = (a: Answer) => a.headers.find(([h]) => h === 'etag')?.[1]
        if (before.status !== after.status || etag(before) !== etag(after)) changed.push(path)
        expect(before.body.includes(article.slug), path).toBe(false)
      }
      expect(changed.sort(), article.slug).toEqual(entered(article))
      for (const path of entered(article))
        expect((await answer(room, path, T, origin)).status, path).toBe(200)
      const site = await answer(room, '/rss.xml', T, origin)
      expect(site.body).toContain(article.slug)
      expect(site.headers).toContainEqual([
        'cache-control',
        'public, max-age=300, stale-while-revalidate=600, stale-if-error=86400',
      ])
    }
  })
})
