import type { Hono, MiddlewareHandler } from 'hono'
import { federationOf } from '../federation/env'
import { actorFeeds, handleOf } from '../federation/handles'
import { Brake } from '../http/brake'
import { NO_STORE } from '../http/cache-control'
import { PAGE_CSP } from '../http/headers'
import { isCrossSite } from '../http/same-origin'
import { type Catalog, listFeeds } from '../model/feeds'
import { feedPageUrl } from '../render/document'
import {
  CHART_RANGES,
  type ChartRange,
  renderSignInPage,
  renderStatsOffPage,
  renderStatsPage,
} from '../render/html/stats'
import { admit, cookieOf, credentialsOf, statsGate } from '../stats/access'
import { closeDays } from '../stats/d1-stats'
import { flushIfDue } from '../stats/flush'
import { followersOverview } from '../stats/followers'
import { statsOverview } from '../stats/overview'
import { pollOf } from '../stats/poll'
import type { StatsRecorder } from '../stats/recorder'
import { closeSession, openSession, SESSION_COOKIE, SESSION_SECONDS } from '../stats/session'
import { statsSetup } from '../stats/setup'
import type { SqlDatabase } from '../store/d1'
import { type AppContext, type AppEnv, requestOrigin, waitUntilOf } from './context'

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
    const answered = {
      at: now,
      feed: kind && slug ? `${kind}/${slug}` : '',
      status: status as 200 | 304,
      bytes:
        status === 304 || c.req.method === 'HEAD'
          ? 0
          : Number(c.res.headers.get('content-length') ?? 0),
      address: c.req.header('cf-connecting-ip') ?? '',
      userAgent: c.req.header('user-agent') ?? '',
    }
    waitUntilOf(c)(
      (async () => {
        recorder.record(await pollOf(setup.secret, answered))
        await flushIfDue(recorder, setup.db, now)
      })(),
    )
  }
}

// The dashboard's own headers; the app's security headers do not overwrite them.
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

function plain(status: number, message: string, headers: Record<string, string> = {}) {
  return new Response(`${message}\n`, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', ...PRIVATE_HEADERS, ...headers },
  })
}

const UNAVAILABLE = 'statistics are unavailable: the Worker’s configuration is incomplete'

// The request as the access rules see it.
const requestOf = (c: AppContext) => ({
  env: c.env ?? {},
  address: c.req.header('cf-connecting-ip'),
  now: c.get('now'),
})

const tooMany = (wait: number) =>
  `Too many wrong tokens from this address: try again in ${wait} seconds.`

// The fediverse's followers, read once per dashboard answer; null when federation is off.
async function followersOf(c: AppContext, catalog: Catalog, origin: string) {
  const fed = federationOf(c.env ?? {})
  const overview = fed
    ? await followersOverview(fed.db, catalog.site.federation?.blocked ?? [])
    : null
  const actors = new Map(
    actorFeeds(catalog).map((feed) => [
      handleOf(feed),
      { path: feed.path, title: feed.title, pageUrl: feedPageUrl(origin, feed) },
    ]),
  )
  return { overview, actors }
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
  return { overview, feeds, followers: await followersOf(c, catalog, origin) }
}

function sessionCookie(value: string, maxAge: number): string {
  return `${SESSION_COOKIE}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; Secure; SameSite=Strict`
}

/**
 * `/stats/` (the dashboard, behind a sign-in with the statistics token), `/stats/sign-in`,
 * `/stats/sign-out` and `/api/stats` (the same figures as JSON, with the token as a Bearer).
 * The publish token opens none of them. Never cached: `no-store`, and not for search engines.
 */
export function addStatsRoutes(app: Hono<AppEnv>, brake = new Brake()): void {
  app.get('/stats', (c) => c.redirect('/stats/', 301))
  app.get('/stats/', async (c) => {
    const url = new URL(c.req.url)
    const { site } = await c.get('store').catalog(c.get('now'))
    const gate = statsGate(c.env ?? {})
    if ('off' in gate) return page(200, renderStatsOffPage(site, `${url.origin}/stats/`))
    if ('unavailable' in gate) return plain(503, UNAVAILABLE)
    const admitted = await admit(gate, brake, requestOf(c), credentialsOf(c.req.raw.headers))
    if (admitted !== true) {
      const canonicalUrl = `${url.origin}/stats/`
      if (admitted === false) return page(401, renderSignInPage(site, canonicalUrl))
      return page(429, renderSignInPage(site, canonicalUrl, tooMany(admitted.wait)), {
        'retry-after': String(admitted.wait),
      })
    }
    const requested = url.searchParams.get('days') ?? '30'
    const days = CHART_RANGES.find((range) => String(range) === requested)
    if (days === undefined || [...url.searchParams.keys()].some((key) => key !== 'days'))
      return c.redirect('/stats/', 301)
    const { overview, feeds, followers } = await overviewOf(c, gate.db)
    const canonicalUrl = `${url.origin}/stats/`
    return page(
      200,
      renderStatsPage({ site, canonicalUrl, overview, feeds, followers, days: days as ChartRange }),
    )
  })
  app.post('/stats/sign-in', async (c) => {
    if (isCrossSite(c.req.raw.headers, requestOrigin(c)))
      return plain(403, 'sign-in refused: sent from another site')
    const gate = statsGate(c.env ?? {})
    if ('off' in gate) return c.redirect('/stats/', 303)
    if ('unavailable' in gate) return plain(503, UNAVAILABLE)
    const { site } = await c.get('store').catalog(c.get('now'))
    const url = `${requestOrigin(c)}/stats/`
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>)
    const bearer = typeof form.token === 'string' ? form.token.trim() : ''
    const admitted = await admit(gate, brake, requestOf(c), { bearer })
    if (admitted !== true) {
      if (admitted !== false)
        return page(429, renderSignInPage(site, url, tooMany(admitted.wait)), {
          'retry-after': String(admitted.wait),
        })
      return page(401, renderSignInPage(site, url, 'That is not this site’s statistics token.'))
    }
    const session = await openSession(gate.db, gate.token, c.get('now'))
    return new Response(null, {
      status: 303,
      headers: {
        location: '/stats/',
        'set-cookie': sessionCookie(session, SESSION_SECONDS),
        ...PRIVATE_HEADERS,
      },
    })
  })
  app.post('/stats/sign-out', async (c) => {
    if (isCrossSite(c.req.raw.headers, requestOrigin(c)))
      return plain(403, 'sign-out refused: sent from another site')
    const setup = statsSetup(c.env ?? {})
    const session = cookieOf(c.req.header('cookie') ?? null, SESSION_COOKIE)
    if (setup.on && session) await closeSession(setup.db, session)
    return new Response(null, {
      status: 303,
      headers: { location: '/stats/', 'set-cookie': sessionCookie('', 0), ...PRIVATE_HEADERS },
    })
  })
  app.get('/api/stats', async (c) => {
    const gate = statsGate(c.env ?? {})
    if ('off' in gate)
      return json(404, { errors: [{ field: '(statistics)', message: 'statistics are off' }] })
    if ('unavailable' in gate)
      return json(503, { errors: [{ field: '(statistics)', message: UNAVAILABLE }] })
    const admitted = await admit(gate, brake, requestOf(c), credentialsOf(c.req.raw.headers))
    if (admitted !== true) {
      if (admitted !== false)
        return json(
          429,
          { errors: [{ field: 'Authorization', message: tooMany(admitted.wait) }] },
          { 'retry-after': String(admitted.wait) },
        )
      return json(
        401,
        { errors: [{ field: 'Authorization', message: 'a valid bearer token is required' }] },
        { 'www-authenticate': 'Bearer realm="newswire"' },
      )
    }
    const { overview, feeds, followers } = await overviewOf(c, gate.db)
    return json(200, {
      ...overview,
      feeds: overview.feeds.map((feed) => ({
        ...feed,
        title: feeds.get(feed.feed)?.title ?? null,
      })),
      followers: followers.overview && {
        ...followers.overview,
        feeds: followers.overview.feeds.map((feed) => ({
          ...feed,
          feed: followers.actors.get(feed.handle)?.path ?? null,
          title: followers.actors.get(feed.handle)?.title ?? null,
        })),
      },
    })
  })
}
