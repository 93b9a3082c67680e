import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import type { FollowersOverview } from '../../src/model/stats'
import { createApp } from '../../src/routes/app'
import { D1Store } from '../../src/store/d1'
import { contractCatalog } from '../helpers/catalog'
import { STATS_TOKEN } from '../helpers/tokens'

const base = env as unknown as { DB: D1Database; STATS: D1Database; FEDERATION: D1Database }
const bindings = { ...env, STATS_SECRET: 'stats-secret-for-tests-0123456789' }
const T0 = Date.parse('2026-03-02T09:00:00Z')
const DAY = 86_400_000
const MINUTE = 60_000
const catalog = contractCatalog()
catalog.site.federation = { objectType: 'Note', blocked: ['blocked.example', 'quiet.example'] }
const app = createApp(() => new D1Store(base.DB, { ...catalog, tags: [] }, { ttl: 0 }), {
  clock: () => T0,
})
const AUTH = { authorization: `Bearer ${STATS_TOKEN}` }
// The same Worker with federation off: no FEDERATION database bound.
const { FEDERATION: _, ...off } = bindings as Record<string, unknown>
const HOSTILE = '<script>alert(1)</script>'

async function call(path: string, envOf: object = bindings) {
  const ctx = createExecutionContext()
  const response = await app.fetch(
    new Request(`https://news.test${path}`, { headers: AUTH }),
    envOf,
    ctx,
  )
  const text = await response.text()
  await waitOnExecutionContext(ctx)
  return { status: response.status, text }
}

// handle, actor, server, inbox, shared inbox
const FOLLOWS: [string, string, string, string, string | null][] = [
  [
    'site',
    'https://alpha.example/users/a',
    'alpha.example',
    'https://alpha.example/users/a/inbox',
    'https://alpha.example/inbox',
  ],
  [
    'science',
    'https://alpha.example/users/a',
    'alpha.example',
    'https://alpha.example/users/a/inbox',
    'https://alpha.example/inbox',
  ],
  [
    'site',
    'https://alpha.example/users/b',
    'alpha.example',
    'https://alpha.example/users/b/inbox',
    'https://alpha.example/inbox',
  ],
  [
    'culture',
    'https://beta.example/users/c',
    'beta.example',
    'https://beta.example/users/c/inbox',
    null,
  ],
  [
    'tag__gone',
    'https://beta.example/users/c',
    'beta.example',
    'https://beta.example/users/c/inbox',
    null,
  ],
  [
    'site',
    'https://mastodon.blocked.example/users/d',
    'mastodon.blocked.example',
    'https://mastodon.blocked.example/inbox',
    null,
  ],
  // A row no inbox would write (server is the actor id's host), as a hostile database could hold.
  ['site', 'https://evil.example/u', HOSTILE, 'https://evil.example/inbox', null],
]

beforeAll(async () => {
  const db = base.FEDERATION
  await db.batch([
    ...FOLLOWS.map(([handle, actor, server, inbox, shared]) =>
      db
        .prepare(
          `INSERT INTO followers (handle, origin, actor, inbox, shared_inbox, server, follow_id, created_at)
           VALUES (?, 'https://news.test', ?, ?, ?, ?, ?, ?)`,
        )
        .bind(handle, actor, inbox, shared, server, `${actor}#follow/${handle}`, T0 - DAY),
    ),
    db
      .prepare(
        'INSERT INTO inbox_failures (inbox, since, last_status, last_failed_at) VALUES (?, ?, ?, ?), (?, ?, ?, ?)',
      )
      .bind(
        'https://beta.example/users/c/inbox',
        T0 - 2 * DAY,
        503,
        T0 - 3 * MINUTE,
        `https://gamma.example/${encodeURIComponent(HOSTILE)}`,
        T0 - DAY,
        null,
        // A row kept from before the time of the last failure was recorded.
        null,
      ),
  ])
})

describe('/api/stats: followers in the fediverse', () => {
  it('counts followers per feed and per server, failing inboxes and blocked domains', async () => {
    const response = await call('/api/stats')
    expect(response.status).toBe(200)
    const { followers } = JSON.parse(response.text) as {
      followers: FollowersOverview & {
        feeds: { handle: string; followers: number; feed: string | null; title: string | null }[]
      }
    }
    expect(followers.totals).toEqual({ follows: 7, followers: 5, servers: 4 })
    expect(followers.feeds).toEqual([
      { handle: 'site', followers: 4, feed: '', title: 'The Daily Test' },
      {
        handle: 'culture',
        followers: 1,
        feed: 'categories/culture',
        title: 'The Daily Test: Culture',
      },
      {
        handle: 'science',
        followers: 1,
        feed: 'categories/science',
        title: 'The Daily Test: Science',
      },
      { handle: 'tag__gone', followers: 1, feed: null, title: null },
    ])
    expect(followers.servers).toEqual([
      {
        server: 'alpha.example',
        followers: 2,
        follows: 3,
        handles: ['science', 'site'],
        blocked: false,
      },
      { server: HOSTILE, followers: 1, follows: 1, handles: ['site'], blocked: false },
      {
        server: 'beta.example',
        followers: 1,
        follows: 2,
        handles: ['culture', 'tag__gone'],
        blocked: false,
      },
      {
        server: 'mastodon.blocked.example',
        followers: 1,
        follows: 1,
        handles: ['site'],
        blocked: true,
      },
    ])
    expect(followers.failing).toEqual([
      {
        inbox: 'https://beta.example/users/c/inbox',
        server: 'beta.example',
        since: '2026-02-28T09:00:00.000Z',
        lastStatus: 503,
        lastFailedAt: '2026-03-02T08:57:00.000Z',
        prunedFrom: '2026-03-07T09:00:00.000Z',
      },
      {
        inbox: `https://gamma.example/${encodeURIComponent(HOSTILE)}`,
        server: 'gamma.example',
        since: '2026-03-01T09:00:00.000Z',
        lastStatus: null,
        lastFailedAt: null,
        prunedFrom: '2026-03-08T09:00:00.000Z',
      },
    ])
    expect(followers.blocked).toEqual([
      { domain: 'blocked.example', follows: 1 },
      { domain: 'quiet.example', follows: 0 },
    ])
  })

  it('is null when federation is off (no FEDERATION database bound)', async () => {
    const response = await call('/api/stats', off)
    expect(response.status).toBe(200)
    expect(JSON.parse(response.text).followers).toBeNull()
  })
})

describe('/stats/: the followers section', () => {
  it('shows each feed, each server (a blocked one flagged), the failing inboxes and site.yaml blocks', async () => {
    const page = await call('/stats/')
    expect(page.status).toBe(200)
    for (const fragment of [
      '<p class="lede"><strong>5</strong> people on 4 servers follow 4 feeds (7 follows).</p>',
      '<tr><th scope="row"><a href="https://news.test/">The Daily Test</a> <code>@site</code></th><td>4</td></tr>',
      '<th scope="row"><code>@tag__gone</code> <span class="stats-note">(no longer in the catalog)</span></th><td>1</td>',
      '<tr><th scope="row">alpha.example</th><td>2</td><td>3</td><td><code>@science</code>, <code>@site</code></td></tr>',
      '<th scope="row">mastodon.blocked.example <mark class="flag">blocked</mark></th>',
      '<tr><th scope="row">beta.example</th><td><code>https://beta.example/users/c/inbox</code></td><td>2026-02-28T09:00:00.000Z</td><td>HTTP 503, 2026-03-02T08:57:00.000Z</td><td>2026-03-07T09:00:00.000Z</td></tr>',
      '<td>no answer (network error or timeout)</td><td>2026-03-08T09:00:00.000Z</td>',
      '<li><code>blocked.example</code>: 1 follows kept until the next delivery removes them</li>',
      '<li><code>quiet.example</code>: no follows kept</li>',
    ])
      expect(page.text).toContain(fragment)
  })

  it('escapes a hostile server name', async () => {
    const page = await call('/stats/')
    expect(page.text).not.toContain('<script>alert(1)</script>')
    expect(page.text).toContain('<th scope="row">&lt;script&gt;alert(1)&lt;/script&gt;</th>')
  })

  it('says federation is off when the FEDERATION database is not bound', async () => {
    const page = await call('/stats/', off)
    expect(page.status).toBe(200)
    expect(page.text).toMatch(
      /<h2 id="followers">Followers in the fediverse<\/h2>\n<p>Federation is off: this Worker has no FEDERATION database and queue/,
    )
    expect(page.text).not.toContain('people on')
  })
})
