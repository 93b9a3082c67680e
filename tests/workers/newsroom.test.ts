import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { type Catalog, listFeeds } from '../../src/model/feeds'
import type { FeedDefinition } from '../../src/model/types'
import { encodePath } from '../../src/render/document'
import { formatsOf } from '../../src/render/formats'
import { announceAppearances } from '../../src/routes/announce'
import { createApi } from '../../src/routes/api'
import { createApp } from '../../src/routes/app'
import { D1Store } from '../../src/store/d1'
import { contractCatalog } from '../helpers/catalog'
import { API_TOKEN } from '../helpers/tokens'

const bindings = env as unknown as { DB: D1Database; API_TOKEN: string }
const catalog: Catalog = contractCatalog()
// The Cron Trigger's store knows a hub; the app's does not, so that no publish pings it.
const hubbed: Catalog = { ...catalog, site: { ...catalog.site, hub: 'https://hub.test/' } }
const ORIGIN = 'https://news.test'
const AUTH = { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' }
const T0 = Date.parse('2026-03-02T09:00:00Z')

// One isolate: one store, one app, one clock the test moves.
let now = T0
const store = new D1Store(bindings.DB, { ...catalog, tags: [] }, { ttl: 0 })
const app = createApp(() => store, { api: createApi(), clock: () => now })

async function call(
  method: string,
  path: string,
  init: { body?: unknown; headers?: Record<string, string> } = {},
) {
  const ctx = createExecutionContext()
  const response = await app.fetch(
    new Request(`${ORIGIN}${path}`, {
      method,
      headers: init.headers ?? {},
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    }),
    bindings,
    ctx,
  )
  const text = await response.text()
  await waitOnExecutionContext(ctx)
  return { status: response.status, headers: response.headers, text }
}

let n = 0
const newId = () => `urn:uuid:bbbbbbbb-0000-4000-8000-${String(++n).padStart(12, '0')}`

function article(overrides: Record<string, unknown> = {}) {
  n += 1
  return {
    slug: `newsroom-${n}`,
    title: `Story ${n} of the day`,
    summary: 'What happened.',
    author: 'ada-lovelace',
    published: new Date(now - 60_000).toISOString(),
    categories: ['science'],
    tags: ['Engines'],
    body: 'Paragraph one.\n\nParagraph two.',
    ...overrides,
  }
}

const put = (id: string, body: unknown) =>
  call('PUT', `/api/articles/${id}`, { body, headers: AUTH })

// Every feed file there is now (tags included), as a path.
async function files(): Promise<string[]> {
  return listFeeds(await store.catalog(now)).flatMap((feed) => pathsOf(feed))
}

function pathsOf(feed: FeedDefinition): string[] {
  return formatsOf(feed).map((f) => `/${feed.path ? `${encodePath(feed.path)}/` : ''}${f.file}`)
}

// The ETag of every feed file now, by path (and the paths a feed is served under).
async function etags(paths: string[]): Promise<Map<string, string>> {
  const tags = new Map<string, string>()
  for (const path of paths) {
    const response = await call('GET', path)
    expect(response.status, path).toBe(200)
    tags.set(path, response.headers.get('etag') as string)
  }
  return tags
}

// Which feed files answer a poll with the ETag they gave before with 200 instead of 304.
async function changed(before: Map<string, string>): Promise<string[]> {
  const moved: string[] = []
  for (const [path, etag] of before) {
    const response = await call('GET', path, { headers: { 'if-none-match': etag } })
    if (response.status === 200) moved.push(path)
    else expect(response.status, path).toBe(304)
  }
  return moved.sort()
}

// The files of the feeds at `paths`, as a sorted list.
async function feedFiles(...paths: string[]): Promise<string[]> {
  const feeds = listFeeds(await store.catalog(now))
  return paths
    .flatMap((path) => pathsOf(feeds.find((f) => f.path === path) as FeedDefinition))
    .sort()
}

beforeAll(async () => {
  // A small newsroom: two science stories, one culture story, by two authors.
  for (const body of [
    article(),
    article({ categories: ['culture'], tags: ['Music'], author: 'grace-hopper' }),
    article({ tags: ['Software'] }),
  ])
    expect((await put(newId(), body)).status).toBe(201)
})

describe('a living newsroom on D1: each write changes only its own feeds', () => {
  it('a publish in culture leaves every other feed valid: 304 with the old ETag, from the cache', async () => {
    now += 60_000
    const all = await files()
    const before = await etags(all)
    expect(
      (await put(newId(), article({ categories: ['culture'], tags: [], author: 'grace-hopper' })))
        .status,
    ).toBe(201)
    now += 1000
    // Its feeds: the site, culture, its author, the culture curated feed, and Flipboard's (all).
    const expected = await feedFiles(
      '',
      'categories/culture',
      'authors/grace-hopper',
      'feeds/picks',
      'feeds/flipboard',
    )
    expect(await changed(before)).toEqual(expected)
    const untouched = all.find((path) => !expected.includes(path)) as string
    const cached = await call('GET', untouched, {
      headers: { 'if-none-match': before.get(untouched) as string },
    })
    expect(cached.headers.get('x-cache')).toBe('HIT')
  })

  it('an edit that moves a story from science to culture changes science, culture and its other feeds', async () => {
    now += 60_000
    const id = newId()
    const story = article({ tags: [] })
    expect((await put(id, story)).status).toBe(201)
    now += 60_000
    const before = await etags(await files())
    const moved = { ...story, title: 'Moved', categories: ['culture'] }
    expect((await put(id, moved)).status).toBe(200)
    now += 1000
    expect(await changed(before)).toEqual(
      await feedFiles(
        '',
        'categories/science',
        'categories/culture',
        'authors/ada-lovelace',
        'feeds/picks',
        'feeds/flipboard',
      ),
    )
  })

  it('a delete changes the feeds the article was in', async () => {
    now += 60_000
    const id = newId()
    await put(id, article({ tags: ['Software'] }))
    now += 60_000
    const before = await etags(await files())
    expect((await call('DELETE', `/api/articles/${id}`, { headers: AUTH })).status).toBe(204)
    now += 1000
    expect(await changed(before)).toEqual(
      await feedFiles(
        '',
        'categories/science',
        'authors/ada-lovelace',
        'tags/software',
        'feeds/flipboard',
      ),
    )
  })
})

describe('an isolate that did not make the write', () => {
  it('finds a tag another isolate just published into', async () => {
    now += 60_000
    // Another isolate (its own store, the same database) publishes with a brand-new tag.
    const other = new D1Store(bindings.DB, { ...catalog, tags: [] }, { ttl: 0 })
    const app2 = createApp(() => other, { api: createApi(), clock: () => now })
    const ctx = createExecutionContext()
    const created = await app2.fetch(
      new Request(`${ORIGIN}/api/articles/${newId()}`, {
        method: 'PUT',
        headers: AUTH,
        body: JSON.stringify(article({ tags: ['Brand new tag'] })),
      }),
      bindings,
      ctx,
    )
    await waitOnExecutionContext(ctx)
    expect(created.status).toBe(201)
    now += 1000
    // This isolate's catalog predates the tag: it looks again before answering 404.
    expect((await call('GET', '/tags/brand-new-tag/rss.xml')).status).toBe(200)
    expect((await call('GET', '/tags/brand-new-tag/')).status).toBe(200)
    expect((await call('GET', '/tags/no-such-tag/rss.xml')).status).toBe(404)
  })
})

describe('a cache hit on D1', () => {
  it('costs one statement: the state of its feed', async () => {
    let statements = 0
    const db = bindings.DB
    const counting = {
      prepare: (query: string) => {
        const wrap = (statement: D1PreparedStatement): D1PreparedStatement =>
          ({
            bind: (...values: unknown[]) => wrap(statement.bind(...values)),
            first: () => {
              statements += 1
              return statement.first()
            },
            all: () => {
              statements += 1
              return statement.all()
            },
            run: () => {
              statements += 1
              return statement.run()
            },
            inner: statement,
          }) as unknown as D1PreparedStatement
        return wrap(db.prepare(query))
      },
      batch: (list: D1PreparedStatement[]) => {
        statements += list.length
        return db.batch(list.map((s) => (s as unknown as { inner: D1PreparedStatement }).inner))
      },
    }
    const counted = new D1Store(counting as never, { ...catalog, tags: [] }, { ttl: 0 })
    const app3 = createApp(() => counted, { clock: () => now })
    const get = async (headers: Record<string, string> = {}) => {
      const ctx = createExecutionContext()
      const response = await app3.fetch(
        new Request(`${ORIGIN}/categories/culture/rss.xml`, { headers }),
        bindings,
        ctx,
      )
      await response.arrayBuffer()
      await waitOnExecutionContext(ctx)
      return response
    }
    const first = await get()
    now += 5000
    statements = 0
    const hit = await get({ 'if-none-match': first.headers.get('etag') as string })
    expect(hit.status).toBe(304)
    expect(hit.headers.get('x-cache')).toBe('HIT')
    expect(statements).toBe(1)
  })
})

describe('a scheduled article on D1', () => {
  const id = newId()
  let appears = 0
  let slug = ''

  it('is accepted ahead of its time (201, with when it appears) and changes no feed', async () => {
    now += 60_000
    const before = await etags(await files())
    appears = Math.floor((now + 3_600_000) / 60_000) * 60_000
    const body = article({ tags: ['Embargoed launch'], published: new Date(appears).toISOString() })
    slug = body.slug
    const response = await put(id, body)
    expect(response.status).toBe(201)
    expect(JSON.parse(response.text)).toMatchObject({
      status: 'created',
      scheduled: true,
      appears: new Date(appears).toISOString(),
    })
    expect(await changed(before)).toEqual([])
  })

  it('is nowhere one second before its time: feeds, pages, the article, its new tag, the OPML', async () => {
    now = appears - 1000
    expect((await call('GET', '/rss.xml')).text).not.toContain(slug)
    expect((await call('GET', '/categories/science/feed.json')).text).not.toContain(slug)
    expect((await call('GET', '/feeds/flipboard/rss.xml')).text).not.toContain(slug)
    expect((await call('GET', '/')).text).not.toContain(slug)
    expect((await call('GET', `/articles/${slug}/`)).status).toBe(404)
    expect((await call('GET', '/tags/embargoed-launch/rss.xml')).status).toBe(404)
    expect((await call('GET', '/tags.opml')).text).not.toContain('Embargoed launch')
    const feed = await call('GET', '/atom.xml')
    // No date in the future, and a freshness that ends at the article's minute.
    for (const [, date] of feed.text.matchAll(/<updated>([^<]+)<\/updated>/g))
      expect(Date.parse(date as string)).toBeLessThanOrEqual(now)
    expect(feed.headers.get('cache-control')).toBe('public, max-age=1, stale-if-error=86400')
    // A feed it will not enter is capped alike: a cap on its feeds alone would name them.
    expect((await call('GET', '/tags/music/rss.xml')).headers.get('cache-control')).toBe(
      'public, max-age=1, stale-if-error=86400',
    )
    // <ttl> is in the bytes, which change only with the content: it stays site.yaml's.
    expect((await call('GET', '/rss.xml')).text).toContain('<ttl>5</ttl>')
  })

  it('is everywhere at its minute, with new ETags for exactly its feeds', async () => {
    now = appears - 1000
    const before = await etags(await files())
    now = appears
    expect((await call('GET', '/rss.xml')).text).toContain(slug)
    expect((await call('GET', `/articles/${slug}/`)).status).toBe(200)
    expect((await call('GET', '/tags/embargoed-launch/rss.xml')).status).toBe(200)
    expect((await call('GET', '/tags.opml')).text).toContain('Embargoed launch')
    expect((await call('GET', '/')).text).toContain(slug)
    expect(await changed(before)).toEqual(
      await feedFiles('', 'categories/science', 'authors/ada-lovelace', 'feeds/flipboard'),
    )
  })

  it('is announced to the hub once, by the minute after, for exactly its feeds', async () => {
    const pings: string[][] = []
    const withHub = new D1Store(bindings.DB, { ...hubbed, tags: [] }, { ttl: 0 })
    const cron = announceAppearances(() => withHub, {
      fetch: async (_hub, init) => {
        pings.push(new URLSearchParams(String(init?.body)).getAll('hub.url'))
        return new Response(null, { status: 204 })
      },
    })
    const ctx = createExecutionContext()
    await cron({ scheduledTime: appears - 60_000 }, bindings, ctx)
    await waitOnExecutionContext(ctx)
    expect(pings).toEqual([])
    for (const minute of [appears, appears + 60_000]) {
      const run = createExecutionContext()
      await cron({ scheduledTime: minute }, bindings, run)
      await waitOnExecutionContext(run)
    }
    const topics = (
      await feedFiles(
        '',
        'categories/science',
        'authors/ada-lovelace',
        'tags/embargoed-launch',
        'feeds/flipboard',
      )
    )
      .map((path) => `${catalog.site.url}${path}`)
      .sort()
    expect(pings.map((p) => [...p].sort())).toEqual([topics])
  })

  it('can be moved later, or cancelled, before its minute', async () => {
    const start = now
    const first = Math.floor((start + 7_200_000) / 60_000) * 60_000
    const moved = first + 3_600_000
    const id = newId()
    const body = article({ published: new Date(first).toISOString() })
    expect((await put(id, body)).status).toBe(201)
    const again = await put(id, { ...body, published: new Date(moved).toISOString() })
    expect(JSON.parse(again.text)).toMatchObject({
      scheduled: true,
      appears: new Date(moved).toISOString(),
    })
    const cancelled = newId()
    const gone = article({ published: new Date(first).toISOString() })
    expect((await put(cancelled, gone)).status).toBe(201)
    expect((await call('DELETE', `/api/articles/${cancelled}`, { headers: AUTH })).status).toBe(204)
    now = first
    expect((await call('GET', `/articles/${body.slug}/`)).status).toBe(404)
    expect((await call('GET', `/articles/${gone.slug}/`)).status).toBe(404)
    now = moved
    expect((await call('GET', `/articles/${body.slug}/`)).status).toBe(200)
    expect((await call('GET', `/articles/${gone.slug}/`)).status).toBe(404)
  })

  it('refuses a date of 9999-12-31 and a time without a zone, as clearly as before', async () => {
    const far = await put(newId(), article({ published: '9999-12-31T23:59:59Z' }))
    expect(far.status).toBe(400)
    expect(JSON.parse(far.text).errors).toEqual([
      {
        field: 'published',
        message: expect.stringMatching(
          /^is [\d,]+ days ahead; an article can be scheduled at most 366 days ahead$/,
        ),
      },
    ])
    const zoneless = await put(newId(), article({ published: '2026-03-02T10:00:00' }))
    expect(JSON.parse(zoneless.text).errors).toEqual([
      {
        field: 'published',
        message: 'must be an RFC 3339 date-time with a zone, got "2026-03-02T10:00:00"',
      },
    ])
  })
})
