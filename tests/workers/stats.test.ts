import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { StatsOverview } from '../../src/model/stats'
import { createApi } from '../../src/routes/api'
import { createApp } from '../../src/routes/app'
import { scheduledTasks } from '../../src/routes/scheduled'
import { flushStats } from '../../src/stats/d1-stats'
import { flushIfDue } from '../../src/stats/flush'
import { estimate } from '../../src/stats/hll'
import { pollOf } from '../../src/stats/poll'
import { type StatsBatch, StatsRecorder } from '../../src/stats/recorder'
import { D1Store, type SqlDatabase } from '../../src/store/d1'
import { contractCatalog } from '../helpers/catalog'
import { trackedContext } from '../helpers/deferred'
import { API_TOKEN, STATS_TOKEN } from '../helpers/tokens'

const base = env as unknown as { DB: D1Database; STATS: D1Database; API_TOKEN: string }
const SECRET = 'stats-secret-for-tests-0123456789'
const bindings = { ...base, STATS_SECRET: SECRET }
const ORIGIN = 'https://news.test'
const T0 = Date.parse('2026-03-02T09:00:00Z')
const HOUR = 3_600_000
const DAY = 24 * HOUR

let now = T0
const catalog = contractCatalog()
const store = new D1Store(base.DB, { ...catalog, tags: [] }, { ttl: 0 })
let stats = new StatsRecorder()
let app = createApp(() => store, { api: createApi(), clock: () => now, stats })

async function call(path: string, init: RequestInit = {}, envOf: object = bindings) {
  const ctx = createExecutionContext()
  const response = await app.fetch(new Request(`${ORIGIN}${path}`, init), envOf, ctx)
  const text = await response.text()
  await waitOnExecutionContext(ctx)
  return { status: response.status, headers: response.headers, text }
}

const poll = (
  userAgent: string,
  address: string,
  path = '/rss.xml',
  headers: Record<string, string> = {},
) => call(path, { headers: { 'user-agent': userAgent, 'cf-connecting-ip': address, ...headers } })

// Everything the isolate holds, written now.
const flush = () => flushIfDue(stats, base.STATS as unknown as SqlDatabase, now, true)

// What /api/stats answers: the overview, each feed with its title.
type StatsJson = Omit<StatsOverview, 'feeds'> & {
  feeds: (StatsOverview['feeds'][number] & { title: string | null })[]
}

async function overview(): Promise<StatsJson> {
  const response = await call('/api/stats', { headers: { authorization: `Bearer ${STATS_TOKEN}` } })
  expect(response.status).toBe(200)
  return JSON.parse(response.text)
}

async function rows(sql: string, ...values: unknown[]) {
  return (
    await base.STATS.prepare(sql)
      .bind(...values)
      .all()
  ).results
}

beforeAll(async () => {
  const ctx = createExecutionContext()
  const put = await createApp(() => store, { api: createApi(), clock: () => now }).fetch(
    new Request(`${ORIGIN}/api/articles/urn:uuid:cccccccc-0000-4000-8000-000000000001`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        slug: 'counted',
        title: 'A story to count readers of',
        summary: 'What happened.',
        author: 'ada-lovelace',
        published: new Date(T0 - 60_000).toISOString(),
        categories: ['science'],
        tags: ['Engines'],
        body: 'Paragraph one.\n\nParagraph two.',
      }),
    }),
    base,
    ctx,
  )
  expect(put.status).toBe(201)
  await waitOnExecutionContext(ctx)
})

beforeEach(async () => {
  await base.STATS.batch(
    [
      'stats_polls',
      'stats_reports',
      'stats_registers',
      'stats_intervals',
      'stats_days',
      'stats_months',
      'stats_sessions',
    ].map((table) => base.STATS.prepare(`DELETE FROM ${table}`)),
  )
  now = T0
  stats = new StatsRecorder()
  app = createApp(() => store, { api: createApi(), clock: () => now, stats })
})

const FEEDLY = (n: number) => `Feedly/1.0 (+http://www.feedly.com/fetcher.html; ${n} subscribers; )`
const MINIFLUX = 'Mozilla/5.0 (compatible; Miniflux/2.0.12; +https://miniflux.app)'
const FEEDSPOT =
  'Mozilla/5.0 (compatible; Feedspot/1.0 (+https://www.feedspot.com/fs/fetcher; like FeedFetcher-Google)'
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'

describe('who counts as a subscriber, with a fixed clock', () => {
  it('the largest report of a day wins; reports sum across readers and clients; people are distinct; bots apart', async () => {
    await poll(FEEDLY(134), '192.0.2.1')
    now += HOUR
    await poll(FEEDLY(140), '192.0.2.2') // larger, the same day: replaces 134
    await poll(FEEDLY(120), '192.0.2.2') // smaller: 140 stays
    await poll('Feedbin feed-id:1 - 5 subscribers', '192.0.2.3')
    await poll('Feedbin feed-id:2 - 7 subscribers', '192.0.2.4') // another feed id and client: adds
    await poll(
      'NewsBlur Feed Fetcher - 27 subscribers - https://www.newsblur.com/site/77/news ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/14.0.1 Safari/605.1.15")',
      '192.0.2.4',
    )
    // Two Miniflux instances (one polled twice), one person in a browser: three people.
    await poll(MINIFLUX, '198.51.100.1')
    await poll(MINIFLUX, '198.51.100.1')
    await poll(MINIFLUX, '198.51.100.2')
    await poll(
      'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
      '198.51.100.1',
    )
    // A service that reports no count, polling from three addresses: one subscriber.
    for (const address of ['203.0.113.1', '203.0.113.2', '203.0.113.3'])
      await poll(FEEDSPOT, address)
    // Feedly's other fetcher says no count: nothing beyond its report.
    await poll('FeedlyBot/1.0 (http://feedly.com)', '192.0.2.9')
    // Two crawlers: bots, not subscribers.
    await poll(GOOGLEBOT, '66.249.66.1')
    await poll(GOOGLEBOT, '66.249.66.2')
    await flush()

    const site = (await overview()).feeds.find((feed) => feed.feed === '')
    expect(site).toMatchObject({ reported: 140 + 5 + 7 + 27, people: 3 + 1, bots: 2, polls: 16 })
    expect(site?.subscribers).toBe(179 + 4)
    expect(site?.title).toBe(catalog.site.title)
  })

  it('a report from yesterday does not count today; yesterday is closed into its own day', async () => {
    await poll(FEEDLY(50), '192.0.2.1')
    await poll(MINIFLUX, '198.51.100.1')
    await flush()
    now += DAY
    await poll(FEEDLY(60), '192.0.2.1')
    await flush()
    // The Cron Trigger closes yesterday: its sums kept, its registers and reports gone.
    await scheduledTasks(() => store, stats)(
      { scheduledTime: now },
      bindings,
      createExecutionContext(),
    )
    expect(await rows('SELECT day, feed, reported, people, bots FROM stats_days')).toEqual([
      { day: '2026-03-02', feed: '', reported: 50, people: 1, bots: 0 },
    ])
    expect(
      await rows('SELECT COUNT(*) AS n FROM stats_registers WHERE day = ?', '2026-03-02'),
    ).toEqual([{ n: 0 }])
    const today = await overview()
    expect(today.totals).toMatchObject({ subscribers: 60, reported: 60, people: 0 })
    expect(today.series).toEqual([
      { day: '2026-03-02', subscribers: 51, bots: 0 },
      { day: '2026-03-03', subscribers: 60, bots: 0 },
    ])
  })

  it('counts every answer: renders, isolate hits and 304s, with the bytes sent', async () => {
    const first = await poll(MINIFLUX, '198.51.100.1')
    const second = await poll(MINIFLUX, '198.51.100.1')
    expect(second.headers.get('x-cache')).toBe('HIT')
    const etag = first.headers.get('etag') as string
    const third = await poll(MINIFLUX, '198.51.100.1', '/rss.xml', { 'if-none-match': etag })
    expect(third.status).toBe(304)
    // Not counted: a redirect to the canonical URL, an unknown feed.
    expect((await poll(MINIFLUX, '198.51.100.1', '/rss.xml?limit=10&x=1')).status).toBe(301)
    expect((await poll(MINIFLUX, '198.51.100.1', '/tags/nothing-here/rss.xml')).status).toBe(404)
    await poll(MINIFLUX, '198.51.100.1', '/categories/science/atom.xml')
    await flush()
    const polls = await rows(
      'SELECT feed, reader, kind, polls, not_modified, bytes FROM stats_polls ORDER BY feed',
    )
    expect(polls).toEqual([
      {
        feed: '',
        reader: 'Miniflux',
        kind: 'app',
        polls: 3,
        not_modified: 1,
        bytes: 2 * new TextEncoder().encode(first.text).length,
      },
      {
        feed: 'categories/science',
        reader: 'Miniflux',
        kind: 'app',
        polls: 1,
        not_modified: 0,
        bytes: expect.any(Number),
      },
    ])
  })

  it('times the polls of each client: the median interval per reader', async () => {
    for (let i = 0; i < 5; i++) {
      await poll(MINIFLUX, '198.51.100.1')
      now += 30 * 60_000
    }
    await flush()
    const { readers } = await overview()
    expect(readers).toEqual([
      expect.objectContaining({
        reader: 'Miniflux',
        kind: 'app',
        polls: 5,
        feeds: 1,
        medianInterval: 1800,
      }),
    ])
  })

  it('stores no address and no User-Agent', async () => {
    await poll(MINIFLUX, '198.51.100.77')
    await flush()
    const tables = await rows(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'stats_%'",
    )
    for (const { name } of tables as { name: string }[]) {
      const dump = JSON.stringify(await rows(`SELECT * FROM ${name}`))
      expect(dump).not.toContain('198.51.100.77')
      expect(dump).not.toContain('compatible')
    }
  })

  it('is off without STATS_SECRET: nothing written; the dashboard says it is off, and nothing more', async () => {
    const off = { ...base }
    expect((await call('/rss.xml', { headers: { 'user-agent': MINIFLUX } }, off)).status).toBe(200)
    await flushIfDue(stats, base.STATS as unknown as SqlDatabase, now, true)
    expect(await rows('SELECT * FROM stats_polls')).toEqual([])
    const page = await call('/stats/', {}, off)
    expect(page.status).toBe(200)
    expect(page.text).toContain('Statistics are off')
    // What is missing is the publisher's business: the log says it, the page does not.
    for (const secret of ['STATS_SECRET', 'STATS_TOKEN', 'wrangler', 'secret put'])
      expect(page.text).not.toContain(secret)
    expect(
      (await call('/api/stats', { headers: { authorization: `Bearer ${STATS_TOKEN}` } }, off))
        .status,
    ).toBe(404)
  })

  it('a statistics database that fails never touches the feed; the batch goes out with the next write', async () => {
    const failing = {
      prepare: (sql: string) => base.STATS.prepare(sql),
      batch: async () => {
        throw new Error('D1 is down')
      },
    }
    const down = { ...bindings, STATS: failing }
    const { ctx, failures, settle } = trackedContext()
    const answered = await app.fetch(
      new Request(`${ORIGIN}/rss.xml`, {
        headers: { 'user-agent': MINIFLUX, 'cf-connecting-ip': '198.51.100.1' },
      }),
      down,
      ctx,
    )
    expect(answered.status).toBe(200)
    await settle()
    // The write the request deferred failed, and says so (it used to be swallowed).
    expect(failures.map((error) => (error as Error).message)).toEqual([
      'statistics: writing 2 rows failed, kept for the next write: D1 is down',
    ])
    await expect(flushIfDue(stats, failing as unknown as SqlDatabase, now, true)).rejects.toThrow(
      /^statistics: writing \d+ rows failed, kept for the next write: D1 is down$/,
    )
    expect(stats.pending).toBeGreaterThan(0)
    now += 61_000
    await poll(MINIFLUX, '198.51.100.1')
    await flush()
    expect(await rows('SELECT polls FROM stats_polls')).toEqual([{ polls: 2 }])
  })
})

describe('concurrent isolates', () => {
  it('eight isolates flushing at once into one D1 give exact totals', async () => {
    const isolates = Array.from({ length: 8 }, () => new StatsRecorder())
    const everyone = new StatsRecorder()
    const feeds = ['', 'categories/science', 'tags/engines']
    const readers = [MINIFLUX, FEEDSPOT, GOOGLEBOT, FEEDLY(10), 'Feedbin feed-id:9 - 4 subscribers']
    let expectedPolls = 0
    for (let i = 0; i < 4000; i++) {
      const answered = {
        at: T0 + i * 1000,
        feed: feeds[i % feeds.length] as string,
        status: (i % 3 === 0 ? 304 : 200) as 200 | 304,
        bytes: i % 3 === 0 ? 0 : 1000 + i,
        address: `10.0.${i % 50}.${i % 7}`,
        userAgent: readers[i % readers.length] as string,
      }
      const polled = await pollOf(SECRET, answered)
      isolates[i % isolates.length]?.record(polled)
      everyone.record(polled)
      expectedPolls += 1
    }
    const db = base.STATS as unknown as SqlDatabase
    // Two rounds, all isolates at once: upserts meet on the same rows.
    await Promise.all(isolates.map((isolate) => flushStats(db, isolate.drain(T0))))
    await Promise.all(isolates.map((isolate) => flushStats(db, isolate.drain(T0))))
    const total = everyone.drain(T0)
    const [sums] = (await rows(
      'SELECT SUM(polls) AS polls, SUM(not_modified) AS notModified, SUM(bytes) AS bytes FROM stats_polls',
    )) as { polls: number; notModified: number; bytes: number }[]
    expect(sums).toEqual({
      polls: expectedPolls,
      notModified: total.polls.reduce((n, r) => n + r.notModified, 0),
      bytes: total.polls.reduce((n, r) => n + r.bytes, 0),
    })
    // Every register holds the largest rank any isolate saw: the same as one recorder's.
    const registers = (await rows(
      'SELECT day, feed, crowd, register, rank FROM stats_registers',
    )) as StatsBatch['registers']
    const key = (r: StatsBatch['registers'][number]) =>
      `${r.day} ${r.feed} ${r.crowd} ${r.register}`
    expect(new Map(registers.map((r) => [key(r), r.rank]))).toEqual(
      new Map(total.registers.map((r) => [key(r), r.rank])),
    )
    // Reports: the latest per reader and feed id, whichever isolate wrote last.
    expect(
      await rows(
        'SELECT feed, reader, feed_id AS feedId, subscribers FROM stats_reports ORDER BY feed, reader',
      ),
    ).toEqual(
      total.reports
        .map(({ feed, reader, feedId, subscribers }) => ({ feed, reader, feedId, subscribers }))
        .sort((a, b) => (a.feed + a.reader < b.feed + b.reader ? -1 : 1)),
    )
  })

  it('distinct clients are estimated within a few percent, however many isolates saw them', async () => {
    const isolates = Array.from({ length: 4 }, () => new StatsRecorder())
    for (let i = 0; i < 5000; i++)
      isolates[i % 4]?.record(
        await pollOf(SECRET, {
          at: T0,
          feed: '',
          status: 200,
          bytes: 0,
          address: `10.${i >> 8}.${i & 255}.1`,
          userAgent: MINIFLUX,
        }),
      )
    await Promise.all(
      isolates.map((isolate) =>
        flushStats(base.STATS as unknown as SqlDatabase, isolate.drain(T0)),
      ),
    )
    const [row] = (await rows(
      'SELECT COUNT(*) AS written, SUM(weight) AS weights FROM stats_registers WHERE crowd = ?',
      'people',
    )) as { written: number; weights: number }[]
    const counted = estimate(row?.written ?? 0, row?.weights ?? 0)
    expect(Math.abs(counted - 5000) / 5000).toBeLessThan(0.1)
  })
})

describe('retention', () => {
  it('keeps days for 400 days, then months', async () => {
    const db = base.STATS as unknown as SqlDatabase
    const old = new StatsRecorder()
    for (const at of [T0 - 410 * DAY, T0 - 409 * DAY, T0 - 10 * DAY])
      old.record(
        await pollOf(SECRET, {
          at,
          feed: '',
          status: 200,
          bytes: 100,
          address: '10.0.0.1',
          userAgent: MINIFLUX,
        }),
      )
    await flushStats(db, old.drain(T0))
    await scheduledTasks(() => store, stats)(
      { scheduledTime: T0 },
      bindings,
      createExecutionContext(),
    )
    expect(await rows('SELECT day FROM stats_polls')).toEqual([{ day: '2026-02-20' }])
    expect(
      await rows('SELECT month, polls, bytes, subscriber_days, days FROM stats_months'),
    ).toEqual([{ month: '2025-01', polls: 2, bytes: 200, subscriber_days: 2, days: 2 }])
  })
})

describe('the dashboard is the publisher’s', () => {
  it('asks to sign in: 401 with a form, never cached', async () => {
    const page = await call('/stats/')
    expect(page.status).toBe(401)
    expect(page.headers.get('cache-control')).toBe('no-store')
    expect(page.text).toContain('<form class="sign-in" method="post" action="/stats/sign-in">')
    const api = await call('/api/stats')
    expect(api.status).toBe(401)
    expect(api.headers.get('www-authenticate')).toBe('Bearer realm="newswire"')
    expect((await call('/api/stats', { headers: { authorization: 'Bearer wrong' } })).status).toBe(
      401,
    )
  })

  it('signs in with the statistics token: an HttpOnly, Secure, SameSite=Strict session, for 12 hours', async () => {
    const form = (token: string) => ({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }).toString(),
    })
    const wrong = await call('/stats/sign-in', form('not-it'))
    expect(wrong.status).toBe(401)
    expect(wrong.text).toContain('not this site’s statistics token')
    expect(wrong.headers.get('set-cookie')).toBeNull()

    const right = await call('/stats/sign-in', form(STATS_TOKEN))
    expect(right.status).toBe(303)
    expect(right.headers.get('location')).toBe('/stats/')
    const cookie = right.headers.get('set-cookie') as string
    expect(cookie).toMatch(
      /^__Host-newswire-stats=[\w-]{43}; Path=\/; Max-Age=43200; HttpOnly; Secure; SameSite=Strict$/,
    )
    const session = cookie.split(';')[0] as string

    const page = await call('/stats/', { headers: { cookie: session } })
    expect(page.status).toBe(200)
    expect(page.headers.get('cache-control')).toBe('no-store')
    expect(page.text).toContain('Who reads the feeds')
    expect((await call('/api/stats', { headers: { cookie: session } })).status).toBe(200)

    // Tampered with, or expired: signed out.
    const tampered = `${session.slice(0, -1)}${session.endsWith('A') ? 'B' : 'A'}`
    expect((await call('/stats/', { headers: { cookie: tampered } })).status).toBe(401)
    now += 12 * HOUR + 1000
    expect((await call('/stats/', { headers: { cookie: session } })).status).toBe(401)

    const out = await call('/stats/sign-out', { method: 'POST' })
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0')
  })

  it('shows the figures: totals, chart, feeds, readers and silent feeds', async () => {
    await poll(FEEDLY(134), '192.0.2.1')
    await poll(GOOGLEBOT, '66.249.66.1', '/categories/science/rss.xml')
    await flush()
    const page = await call('/stats/?days=90', {
      headers: { authorization: `Bearer ${STATS_TOKEN}` },
    })
    expect(page.status).toBe(200)
    expect(page.text).toContain('<strong>134</strong> subscribers')
    expect(page.text).toContain('<svg viewBox="0 0 720 240" role="img"')
    expect(page.text).toContain('aria-current="page" href="/stats/?days=90"')
    expect(page.text).toMatch(/<th scope="row">Feedly<\/th><td>Web reader<\/td><td>134<\/td>/)
    // The culture category was polled by nobody.
    expect(page.text).toMatch(/<ul class="silent">.*Culture/s)
    expect(
      (await call('/stats/?days=7', { headers: { authorization: `Bearer ${STATS_TOKEN}` } }))
        .status,
    ).toBe(301)
  })
})
