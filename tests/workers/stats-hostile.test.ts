import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { StatsOverview } from '../../src/model/stats'
import { createApi } from '../../src/routes/api'
import { createApp } from '../../src/routes/app'
import { scheduledTasks } from '../../src/routes/scheduled'
import { flushIfDue } from '../../src/stats/flush'
import { StatsRecorder } from '../../src/stats/recorder'
import { D1Store, type SqlDatabase } from '../../src/store/d1'
import { contractCatalog } from '../helpers/catalog'
import { trackedContext } from '../helpers/deferred'
import { API_TOKEN, STATS_TOKEN } from '../helpers/tokens'

// The attacks of an outside review, replayed against the Worker: forged audiences, unbounded
// rows, one key for everything and no brake, small leaks. Each states the figures it must give.
const base = env as unknown as { DB: D1Database; STATS: D1Database }
const bindings = { ...base, STATS_SECRET: 'stats-secret-for-tests-0123456789' }
const ORIGIN = 'https://news.test'
const T0 = Date.parse('2026-03-02T09:00:00Z')
const ATTACKER = '203.0.113.66'

let now = T0
const store = new D1Store(base.DB, { ...contractCatalog(), tags: [] }, { ttl: 0 })
let stats = new StatsRecorder()
let app = createApp(() => store, { api: createApi(), clock: () => now, stats })

async function call(path: string, init: RequestInit = {}, envOf: object = bindings) {
  const ctx = createExecutionContext()
  const response = await app.fetch(new Request(`${ORIGIN}${path}`, init), envOf, ctx)
  const text = await response.text()
  await waitOnExecutionContext(ctx)
  return { status: response.status, headers: response.headers, text }
}

const poll = (userAgent: string, address: string) =>
  call('/rss.xml', { headers: { 'user-agent': userAgent, 'cf-connecting-ip': address } })
const flush = () => flushIfDue(stats, base.STATS as unknown as SqlDatabase, now, true)
const asStats = { authorization: `Bearer ${STATS_TOKEN}` }

async function overview(): Promise<StatsOverview> {
  const response = await call('/api/stats', { headers: asStats })
  expect(response.status).toBe(200)
  return JSON.parse(response.text)
}

async function count(table: string): Promise<number> {
  const row = await base.STATS.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<{ n: number }>()
  return row?.n ?? -1
}

beforeEach(async () => {
  await base.STATS.batch(
    ['stats_polls', 'stats_reports', 'stats_registers', 'stats_intervals', 'stats_sessions'].map(
      (table) => base.STATS.prepare(`DELETE FROM ${table}`),
    ),
  )
  now = T0
  stats = new StatsRecorder()
  app = createApp(() => store, { api: createApi(), clock: () => now, stats })
})

afterEach(() => {
  vi.restoreAllMocks()
})

const FEEDLY = (subscribers: number, feedId: string) =>
  `Feedly/1.0 (+http://www.feedly.com/fetcher.html; ${subscribers} subscribers; feed-id=${feedId})`
const chrome = (i: number) =>
  `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${100 + i}.0.${i * 7}.0 Safari/537.36`

describe('figures that cannot be forged', () => {
  it('20 forged Feedly reports of 999,999,999 from one client are set aside, not added (was 19,999,999,980)', async () => {
    await poll(FEEDLY(134, 'honest'), '192.0.2.1')
    for (let i = 0; i < 20; i++) await poll(FEEDLY(999_999_999, `attack${i}`), ATTACKER)
    await flush()
    const { totals } = await overview()
    expect(totals).toEqual({
      subscribers: 134,
      reported: 134,
      people: 0,
      bots: 0,
      polls: 21,
      outliers: 20,
      dropped: 0,
    })
    const page = await call('/stats/', { headers: asStats })
    expect(page.text).toContain('<strong>134</strong> subscribers')
    expect(page.text).toContain('<mark class="flag">20 reports set aside</mark>')
    expect(page.text).toContain('<mark class="flag">20 above cap</mark>')
  })

  it('one client moves the figure by one plausible report at most, however many feed ids it invents', async () => {
    for (let i = 0; i < 20; i++) await poll(FEEDLY(1000 + i, `attack${i}`), ATTACKER)
    // An honest service polling from two addresses under one feed id: that id counts once.
    await poll('Feedbin feed-id:7 - 5 subscribers', '192.0.2.3')
    await poll('Feedbin feed-id:7 - 6 subscribers', '192.0.2.4')
    await flush()
    expect((await overview()).totals).toMatchObject({ subscribers: 1019 + 6, reported: 1025 })
  })

  it('30 made-up browser User-Agents from one client are one person (was 29)', async () => {
    for (let i = 0; i < 30; i++) await poll(chrome(i), ATTACKER)
    // Two people elsewhere: three in all.
    await poll(chrome(0), '198.51.100.1')
    await poll(chrome(1), '198.51.100.2')
    await flush()
    expect((await overview()).totals).toMatchObject({ subscribers: 3, people: 3, reported: 0 })
  })

  it('500 feed ids from one client write 32 rows; the rest are counted as dropped (was 500 rows, 500,000 subscribers)', async () => {
    for (let i = 0; i < 500; i++) await poll(FEEDLY(1000, `attack${i}`), ATTACKER)
    await flush()
    expect(await count('stats_reports')).toBe(32)
    expect((await overview()).totals).toMatchObject({
      subscribers: 1000,
      reported: 1000,
      polls: 500,
      dropped: 468,
    })
  }, 30_000)

  it('the row cap holds across writes and isolates; a kept feed id may still rise', async () => {
    for (let i = 0; i < 20; i++) await poll(FEEDLY(1000, `id${i}`), `10.0.0.${i}`)
    await flush()
    // Another isolate, 30 new ids from 30 other addresses: 12 fit.
    stats = new StatsRecorder()
    app = createApp(() => store, { api: createApi(), clock: () => now, stats })
    for (let i = 20; i < 50; i++) await poll(FEEDLY(1000, `id${i}`), `10.0.0.${i}`)
    await poll(FEEDLY(2000, 'id0'), '10.0.0.0')
    await flush()
    expect(await count('stats_reports')).toBe(32)
    expect((await overview()).totals).toMatchObject({ reported: 31 * 1000 + 2000, dropped: 18 })
  })
})

describe('separate keys', () => {
  const form = (token: string, headers: Record<string, string> = {}) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ token }).toString(),
  })

  it('the publish token opens no statistics; the statistics token publishes nothing', async () => {
    const asPublisher = { authorization: `Bearer ${API_TOKEN}`, 'cf-connecting-ip': '192.0.2.50' }
    expect((await call('/stats/', { headers: asPublisher })).status).toBe(401)
    expect((await call('/api/stats', { headers: asPublisher })).status).toBe(401)
    expect((await call('/stats/sign-in', form(API_TOKEN))).status).toBe(401)
    const put = await call('/api/articles/urn:uuid:cccccccc-0000-4000-8000-000000000009', {
      method: 'DELETE',
      headers: { ...asStats, 'cf-connecting-ip': '192.0.2.51' },
    })
    expect(put.status).toBe(401)
    expect((await call('/api/stats', { headers: asStats })).status).toBe(200)
  })

  it.each([
    ['one character', 'x', 'STATS_TOKEN has 1 characters, fewer than 32'],
    ['31 characters', 'y'.repeat(31), 'STATS_TOKEN has 31 characters, fewer than 32'],
    ['the publish token', API_TOKEN, 'STATS_TOKEN is the same as another token'],
  ])(
    'refuses a statistics token of %s: 503 and a log line saying why',
    async (_, token, logged) => {
      const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined)
      const weak = { ...bindings, STATS_TOKEN: token }
      const page = await call('/stats/', { headers: { authorization: `Bearer ${token}` } }, weak)
      expect(page.status).toBe(503)
      expect(page.text).toBe(
        'statistics are unavailable: the Worker’s configuration is incomplete\n',
      )
      expect((await call('/api/stats', { headers: asStats }, weak)).status).toBe(503)
      expect((await call('/stats/sign-in', form(token), weak)).status).toBe(503)
      expect(errors).toHaveBeenCalledWith(expect.stringContaining(logged))
    },
  )

  it('refuses a one-character publish token: 503 and a log line saying why', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const response = await call(
      '/api/articles/urn:uuid:cccccccc-0000-4000-8000-000000000009',
      { headers: { authorization: 'Bearer x' } },
      { ...bindings, API_TOKEN: 'x' },
    )
    expect(response.status).toBe(503)
    expect(errors).toHaveBeenCalledWith(
      expect.stringContaining('API_TOKEN has 1 characters, fewer than 32'),
    )
  })

  it('without a statistics token the dashboard is off, and says nothing more', async () => {
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const { STATS_TOKEN: _, ...noToken } = { ...bindings, STATS_TOKEN }
    const page = await call('/stats/', {}, noToken)
    expect(page.status).toBe(200)
    expect(page.text).toContain('Statistics are off')
    expect(page.text).not.toContain('STATS_TOKEN')
    expect(warnings).toHaveBeenCalledWith(
      expect.stringContaining('wrangler secret put STATS_TOKEN'),
    )
  })
})

describe('a brake on wrong tokens', () => {
  const statuses = (list: number[]) => {
    const tally: Record<number, number> = {}
    for (const status of list) tally[status] = (tally[status] ?? 0) + 1
    return tally
  }

  it('300 wrong bearer tokens: 10 get 401, then 429 with Retry-After, the right one too, until the wait is over (was 300 × 401, then 200)', async () => {
    const from = (token: string, address = '192.0.2.100') => ({
      headers: { authorization: `Bearer ${token}`, 'cf-connecting-ip': address },
    })
    const answers: number[] = []
    for (let i = 0; i < 300; i++)
      answers.push((await call('/api/stats', from(`wrong-${i}`))).status)
    expect(statuses(answers)).toEqual({ 401: 10, 429: 290 })
    const held = await call('/api/stats', from(STATS_TOKEN))
    expect(held.status).toBe(429)
    expect(held.headers.get('retry-after')).toBe('60')
    // Another address is not held.
    expect((await call('/api/stats', from(STATS_TOKEN, '192.0.2.101'))).status).toBe(200)
    now += 30_000
    expect((await call('/stats/', from(STATS_TOKEN))).headers.get('retry-after')).toBe('30')
    now += 31_000
    expect((await call('/api/stats', from(STATS_TOKEN))).status).toBe(200)
  })

  it('wrong sign-ins: 429 from the 11th, the right token included', async () => {
    const answers: number[] = []
    const address = { 'cf-connecting-ip': '192.0.2.110' }
    for (let i = 0; i < 12; i++)
      answers.push((await call('/stats/sign-in', form(`wrong-${i}`, address))).status)
    expect(statuses(answers)).toEqual({ 401: 10, 429: 2 })
    const right = await call('/stats/sign-in', form(STATS_TOKEN, address))
    expect(right.status).toBe(429)
    expect(right.headers.get('set-cookie')).toBeNull()
    expect(right.text).toContain(
      'Too many wrong tokens from this address: try again in 60 seconds.',
    )
  })

  it('wrong publish tokens: 429 from the 11th, the right token included', async () => {
    const path = '/api/articles/urn:uuid:cccccccc-0000-4000-8000-000000000009'
    const answers: number[] = []
    const as = (token: string) => ({
      headers: { authorization: `Bearer ${token}`, 'cf-connecting-ip': '192.0.2.120' },
    })
    for (let i = 0; i < 11; i++) answers.push((await call(path, as(`wrong-${i}`))).status)
    expect(statuses(answers)).toEqual({ 401: 10, 429: 1 })
    expect((await call(path, as(API_TOKEN))).status).toBe(429)
  })

  function form(token: string, headers: Record<string, string>) {
    return {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams({ token }).toString(),
    }
  }
})

describe('sessions', () => {
  const signIn = async (headers: Record<string, string> = {}) => {
    const response = await call('/stats/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams({ token: STATS_TOKEN }).toString(),
    })
    expect(response.status).toBe(303)
    return (response.headers.get('set-cookie') as string).split(';')[0] as string
  }

  it('signing out ends the session on the server: a copied cookie opens nothing (was valid 12 hours)', async () => {
    const cookie = await signIn({ origin: ORIGIN, 'sec-fetch-site': 'same-origin' })
    expect(await count('stats_sessions')).toBe(1)
    expect((await call('/stats/', { headers: { cookie } })).status).toBe(200)
    const out = await call('/stats/sign-out', {
      method: 'POST',
      headers: { cookie, origin: ORIGIN, 'sec-fetch-site': 'same-origin' },
    })
    expect(out.status).toBe(303)
    expect(await count('stats_sessions')).toBe(0)
    expect((await call('/stats/', { headers: { cookie } })).status).toBe(401)
  })

  it('stores no session id, only its hash; the Cron Trigger deletes ended sessions', async () => {
    const cookie = await signIn()
    const id = cookie.split('=')[1] as string
    const row = await base.STATS.prepare('SELECT id FROM stats_sessions').first<{ id: string }>()
    expect(row?.id).toMatch(/^[0-9a-f]{64}$/)
    expect(row?.id).not.toContain(id)
    now += 12 * 3_600_000
    await scheduledTasks(() => store, stats)({ scheduledTime: now }, bindings, {
      waitUntil: () => undefined,
    })
    expect(await count('stats_sessions')).toBe(0)
  })

  it.each([
    ['Origin', { origin: 'https://evil.test' }],
    ['Sec-Fetch-Site', { 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site same-site', { 'sec-fetch-site': 'same-site' }],
  ])('refuses a cross-site sign-in and sign-out by %s: 403 (was 303)', async (_, headers) => {
    const cookie = await signIn()
    const signInFromAfar = await call('/stats/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams({ token: STATS_TOKEN }).toString(),
    })
    expect(signInFromAfar.status).toBe(403)
    expect(signInFromAfar.headers.get('set-cookie')).toBeNull()
    const out = await call('/stats/sign-out', { method: 'POST', headers: { cookie, ...headers } })
    expect(out.status).toBe(403)
    expect((await call('/stats/', { headers: { cookie } })).status).toBe(200)
  })
})

describe('small leaks', () => {
  it('the dashboard keeps its own Referrer-Policy (was overwritten by the global one)', async () => {
    const page = await call('/stats/', { headers: asStats })
    expect(page.headers.get('referrer-policy')).toBe('same-origin')
    expect((await call('/stats/')).headers.get('referrer-policy')).toBe('same-origin')
    const feed = await call('/rss.xml')
    expect(feed.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
  })

  it('a deferred write that fails is logged with its cause and reaches waitUntil', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const failing = {
      prepare: (sql: string) => base.STATS.prepare(sql),
      batch: async () => {
        throw new Error('D1 is down')
      },
    }
    const { ctx, failures, settle } = trackedContext()
    const response = await app.fetch(
      new Request(`${ORIGIN}/rss.xml`, { headers: { 'user-agent': chrome(1) } }),
      { ...bindings, STATS: failing },
      ctx,
    )
    expect(response.status).toBe(200)
    await settle()
    expect(failures).toHaveLength(1)
    expect(errors).toHaveBeenCalledWith(
      'deferred work failed:',
      'statistics: writing 2 rows failed, kept for the next write: D1 is down',
      { cause: new Error('D1 is down') },
    )
  })
})
