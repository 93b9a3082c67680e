/**
 * The Worker the newsroom day runs on: the app on its D1 store, twice (feeds identified by
 * their own revisions, and by one site-wide version), plus the day's writes and the Cron
 * Trigger as requests. A benchmark entry, never deployed: the clock it takes from each
 * request (`x-bench-now`) is what no deployed Worker may offer.
 */
import type { Catalog } from '../src/model/feeds'
import { findFeed } from '../src/model/feeds'
import type { FeedDefinition } from '../src/model/types'
import { announceAppearances } from '../src/routes/announce'
import { createApp } from '../src/routes/app'
import { D1Store, type SqlDatabase, type SqlStatement } from '../src/store/d1'
import { deleteArticle, writeArticle } from '../src/store/d1-write'
import { delegateStore } from '../src/store/delegate'
import type { ArticleStore, StoredArticle } from '../src/store/types'

interface Env {
  DB: SqlDatabase
  CATALOG: Catalog
}

/** Newswire before per-feed revisions: every feed's identity is the whole site's. */
function globalVersion(inner: ArticleStore, site: FeedDefinition): ArticleStore {
  // One state query per poll, as before: a feed's revision, date and next appearance were the
  // whole site's, so any write anywhere turned every feed over.
  return delegateStore(inner, { state: (_feed, now) => inner.state(site, now) })
}

type Counted = SqlStatement & { inner: SqlStatement }
const counter = { statements: 0 }

/** The database, counting the statements run on it, alone or in batches. */
function counted(db: SqlDatabase): SqlDatabase {
  const wrap = (inner: SqlStatement): Counted => ({
    inner,
    bind: (...values) => wrap(inner.bind(...values)),
    first: <T>() => {
      counter.statements += 1
      return inner.first<T>()
    },
    all: <T>() => {
      counter.statements += 1
      return inner.all<T>()
    },
    run: () => {
      counter.statements += 1
      return inner.run()
    },
  })
  return {
    prepare: (query) => wrap(db.prepare(query)),
    batch: (statements) => {
      counter.statements += statements.length
      return db.batch(statements.map((s) => (s as Counted).inner))
    },
  }
}

let now = 0
let world:
  | { feeds: D1Store; global: D1Store; apps: Record<string, ReturnType<typeof createApp>> }
  | undefined

function worldOf(env: Env) {
  if (world) return world
  const db = counted(env.DB)
  const feeds = new D1Store(db, { ...env.CATALOG, tags: [] }, { build: 'bench' })
  const global = new D1Store(db, { ...env.CATALOG, tags: [] }, { build: 'bench' })
  const site = findFeed(env.CATALOG, '') as FeedDefinition
  const clock = () => now
  world = {
    feeds,
    global,
    apps: {
      feeds: createApp(() => feeds, { clock }),
      global: createApp(() => globalVersion(global, site), { clock }),
    },
  }
  return world
}

const json = (value: unknown) =>
  new Response(JSON.stringify(value), { headers: { 'content-type': 'application/json' } })

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url)
    now = Number(request.headers.get('x-bench-now'))
    const { feeds, global, apps } = worldOf(env)
    if (url.pathname === '/__bench/write') {
      const article = (await request.json()) as StoredArticle
      await writeArticle(env.DB, { article, version: crypto.randomUUID(), now })
      feeds.forget()
      global.forget()
      return json({})
    }
    if (url.pathname === '/__bench/delete') {
      const { id } = (await request.json()) as { id: string }
      await deleteArticle(env.DB, { id, version: crypto.randomUUID(), now })
      feeds.forget()
      global.forget()
      return json({})
    }
    if (url.pathname === '/__bench/cron') {
      const topics: string[] = []
      let pings = 0
      const hubbed = { ...env.CATALOG, site: { ...env.CATALOG.site, hub: 'https://hub.test/' } }
      const store = new D1Store(env.DB, { ...hubbed, tags: [] })
      const waits: Promise<unknown>[] = []
      await announceAppearances(() => store, {
        fetch: async (_hub, init) => {
          pings += 1
          topics.push(...new URLSearchParams(String(init?.body)).getAll('hub.url'))
          return new Response(null, { status: 204 })
        },
      })({ scheduledTime: now }, {}, { waitUntil: (promise) => waits.push(promise) })
      await Promise.all(waits)
      return json({ pings, topics })
    }
    const app = apps[request.headers.get('x-bench-identity') ?? 'feeds']
    if (!app) return new Response('no such identity', { status: 400 })
    const before = counter.statements
    const response = await app.fetch(request, env, ctx)
    const headers = new Headers(response.headers)
    headers.set('x-bench-statements', String(counter.statements - before))
    // What was sent, without sending it again to the benchmark: its length and its digest.
    const body = new Uint8Array(await response.arrayBuffer())
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', body))
    headers.set('x-bench-bytes', String(body.byteLength))
    headers.set('x-bench-digest', btoa(String.fromCharCode(...digest)))
    return new Response(null, { status: response.status, headers })
  },
}
