import type { Hono, MiddlewareHandler } from 'hono'
import { NO_STORE } from '../http/cache-control'
import { PAGE_CSP } from '../http/headers'
import { sameSecret } from '../http/secret'
import { listFeeds } from '../model/feeds'
import { feedPageUrl } from '../render/document'
import {
  CHART_RANGES,
  type ChartRange,
  renderSignInPage,
  renderStatsOffPage,
  renderStatsPage,
} from '../render/html/stats'
import { closeDays, flushStats } from '../stats/d1-stats'
import { statsOverview } from '../stats/overview'
import { pollOf } from '../stats/poll'
import type { StatsRecorder } from '../stats/recorder'
import type { SqlDatabase } from '../store/d1'
import { type AppContext, type AppEnv, type Bindings, requestOrigin, waitUntilOf } from './context'

/** Statistics on (a STATS database and a STATS_SECRET), or what is missing. */
export type StatsSetup =
  | { on: true; db: SqlDatabase; secret: string }
  | { on: false; missing: string[] }

export function statsSetup(env: Bindings): StatsSetup {
  const db = env.STATS as SqlDatabase | undefined
  const secret = env.STATS_SECRET
  const missing: string[] = []
  if (!db)
    missing.push(
      'Create the statistics database with `wrangler d1 create newswire-stats`, put its id in wrangler.toml under the STATS binding, and apply its tables with `wrangler d1 migrations apply newswire-stats --remote`.',
    )
  if (typeof secret !== 'string' || secret.length < 16)
    missing.push(
      'Set a secret of at least 16 characters that keys the daily client hash: `wrangler secret put STATS_SECRET`.',
    )
  return db && missing.length === 0
    ? { on: true, db, secret: secret as string }
    : { on: false, missing }
}

/**
 * Writes this isolate's counters when due: one D1 batch of upserts. A failed write puts the
 * batch back to go out with the next one; it never reaches the response it rode on.
 */
export async function flushIfDue(
  recorder: StatsRecorder,
  db: SqlDatabase,
  now: number,
  force = false,
): Promise<void> {
  // One write at a time per isolate: the Cron Trigger waits for one under way, a request skips.
  if (recorder.flushing) {
    if (!force) return
    await recorder.flushing
  }
  if (!(force ? recorder.pending > 0 : recorder.due(now))) return
  const batch = recorder.drain(now)
  recorder.flushing = flushStats(db, batch)
    .then(() => undefined)
    .catch((error: unknown) => {
      recorder.restore(batch)
      console.error(
        `statistics: write failed, kept for the next one: ${error instanceof Error ? error.message : String(error)}`,
      )
    })
    .finally(() => {
      recorder.flushing = undefined
    })
  await recorder.flushing
}

/**
 * Counts every answered request of a feed (200 or 304, whichever cache layer answered), after
 * the response: classifying the reader, hashing the client and adding up happen in
 * `waitUntil`, so the request path does nothing more than before.
 */
export function recordPolls(recorder: StatsRecorder): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next()
    const status = c.res.status
    if (status !== 200 && status !== 304) return
    const setup = statsSetup(c.env ?? {})
    if (!setup.on) return
    const { kind, slug } = c.req.param() as { kind?: string; slug?: string }
    const now = c.get('now')
    const bytes =
      status === 304 || c.req.method === 'HEAD'
        ? 0
        : Number(c.res.headers.get('content-length') ?? 0)
    const answered = {
      at: now,
      feed: kind && slug ? `${kind}/${slug}` : '',
      status: status as 200 | 304,
      bytes,
      address: c.req.header('cf-connecting-ip') ?? '',
      userAgent: c.req.header('user-agent') ?? '',
    }
    waitUntilOf(c)(
      (async () => {
        recorder.record(await pollOf(setup.secret, answered))
        await flushIfDue(recorder, setup.db, now)
      })().catch((error) =>
        console.error(`statistics: ${error instanceof Error ? error.message : String(error)}`),
      ),
    )
  }
}

/** The Cron Trigger's share: this isolate's counters written, finished days closed. */
export async function statsMaintenance(
  recorder: StatsRecorder,
  env: Bindings,
  now: number,
): Promise<void> {
  const setup = statsSetup(env)
  if (!setup.on) return
  await flushIfDue(recorder, setup.db, now, true)
  await closeDays(setup.db, now)
}

// The session: an expiry and its HMAC under the API token; a new token ends every session.
const SESSION_COOKIE = '__Host-newswire-stats'
const SESSION_SECONDS = 12 * 3600
const encoder = new TextEncoder()

async function sessionMac(token: string, expires: number): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(token),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const mac = new Uint8Array(
    await crypto.subtle.sign('HMAC', key, encoder.encode(`newswire stats session ${expires}`)),
  )
  return btoa(String.fromCharCode(...mac))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
}

function cookieOf(c: AppContext, name: string): string | undefined {
  for (const part of (c.req.header('cookie') ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=')
    if (key === name) return value.join('=')
  }
  return undefined
}

/** Whether the request carries the API token (Bearer) or a live session made with it. */
async function signedIn(c: AppContext, token: string): Promise<boolean> {
  const bearer = /^Bearer (.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim()
  if (bearer) return sameSecret(bearer, token)
  const [expires, mac] = (cookieOf(c, SESSION_COOKIE) ?? '').split('.')
  const until = Number(expires)
  if (!mac || !Number.isSafeInteger(until) || until <= c.get('now')) return false
  return sameSecret(mac, await sessionMac(token, until))
}

const PRIVATE_HEADERS = {
  'cache-control': NO_STORE,
  'x-robots-tag': 'noindex',
  'referrer-policy': 'same-origin',
}

function page(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': PAGE_CSP,
      ...PRIVATE_HEADERS,
      ...headers,
    },
  })
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(`${JSON.stringify(body)}\n`, {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...PRIVATE_HEADERS, ...headers },
  })
}

const apiToken = (env: Bindings) =>
  typeof env.API_TOKEN === 'string' && env.API_TOKEN ? env.API_TOKEN : undefined

function offSteps(c: AppContext): string[] {
  const setup = statsSetup(c.env ?? {})
  const steps = setup.on ? [] : [...setup.missing]
  if (!apiToken(c.env ?? {}))
    steps.push('Set the API token the dashboard signs in with: `wrangler secret put API_TOKEN`.')
  return steps
}

async function overviewOf(c: AppContext, db: SqlDatabase) {
  const now = c.get('now')
  const catalog = await c.get('store').catalog(now)
  const origin = requestOrigin(c)
  const all = listFeeds(catalog)
  // A day left open (no Cron Trigger ran since midnight) is closed before it is read.
  await closeDays(db, now)
  const overview = await statsOverview(
    db,
    now,
    all.map((feed) => feed.path),
  )
  const feeds = new Map(
    all.map((feed) => [feed.path, { title: feed.title, pageUrl: feedPageUrl(origin, feed) }]),
  )
  return { overview, feeds, catalog }
}

/**
 * `/stats/` (the dashboard, behind a sign-in with the API token), `/stats/sign-in`,
 * `/stats/sign-out` and `/api/stats` (the same figures as JSON, with the token as a Bearer).
 * Never cached: `no-store`, and not for search engines.
 */
export function addStatsRoutes(app: Hono<AppEnv>): void {
  app.get('/stats', (c) => c.redirect('/stats/', 301))
  app.get('/stats/', async (c) => {
    const url = new URL(c.req.url)
    const catalog = await c.get('store').catalog(c.get('now'))
    const missing = offSteps(c)
    if (missing.length > 0) return page(200, renderStatsOffPage(catalog.site, url.href, missing))
    const token = apiToken(c.env) as string
    if (!(await signedIn(c, token)))
      return page(401, renderSignInPage(catalog.site, `${url.origin}/stats/`))
    const requested = url.searchParams.get('days') ?? '30'
    const days = CHART_RANGES.find((range) => String(range) === requested)
    if (days === undefined || [...url.searchParams.keys()].some((key) => key !== 'days'))
      return c.redirect('/stats/', 301)
    const { overview, feeds } = await overviewOf(c, (statsSetup(c.env) as { db: SqlDatabase }).db)
    return page(
      200,
      renderStatsPage({
        site: catalog.site,
        canonicalUrl: `${url.origin}/stats/`,
        overview,
        feeds,
        days: days as ChartRange,
      }),
    )
  })
  app.post('/stats/sign-in', async (c) => {
    const catalog = await c.get('store').catalog(c.get('now'))
    const url = `${requestOrigin(c)}/stats/`
    const token = apiToken(c.env ?? {})
    if (!token) return c.redirect('/stats/', 303)
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>)
    const given = typeof form.token === 'string' ? form.token.trim() : ''
    if (!given || !(await sameSecret(given, token)))
      return page(401, renderSignInPage(catalog.site, url, 'That is not this site’s API token.'))
    const expires = c.get('now') + SESSION_SECONDS * 1000
    const cookie = `${SESSION_COOKIE}=${expires}.${await sessionMac(token, expires)}; Path=/; Max-Age=${SESSION_SECONDS}; HttpOnly; Secure; SameSite=Strict`
    return new Response(null, {
      status: 303,
      headers: { location: '/stats/', 'set-cookie': cookie, ...PRIVATE_HEADERS },
    })
  })
  app.post('/stats/sign-out', () => {
    const cookie = `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict`
    return new Response(null, {
      status: 303,
      headers: { location: '/stats/', 'set-cookie': cookie, ...PRIVATE_HEADERS },
    })
  })
  app.get('/api/stats', async (c) => {
    const missing = offSteps(c)
    if (missing.length > 0)
      return json(404, { errors: missing.map((message) => ({ field: '(statistics)', message })) })
    if (!(await signedIn(c, apiToken(c.env) as string)))
      return json(
        401,
        { errors: [{ field: 'Authorization', message: 'a valid bearer token is required' }] },
        {
          'www-authenticate': 'Bearer realm="newswire"',
        },
      )
    const { overview, feeds } = await overviewOf(c, (statsSetup(c.env) as { db: SqlDatabase }).db)
    return json(200, {
      ...overview,
      feeds: overview.feeds.map((feed) => ({
        ...feed,
        title: feeds.get(feed.feed)?.title ?? null,
      })),
    })
  })
}
