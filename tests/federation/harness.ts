import { readD1Migrations } from '@cloudflare/vitest-pool-workers'
import { Miniflare } from 'miniflare'
import { consumeDeliveries } from '../../src/federation/consumer'
import type { DeliveryMessage } from '../../src/federation/delivery'
import type { Catalog } from '../../src/model/feeds'
import { createApi } from '../../src/routes/api'
import { createApp } from '../../src/routes/app'
import type { Bindings } from '../../src/routes/context'
import { scheduledTasks } from '../../src/routes/scheduled'
import { StatsRecorder } from '../../src/stats/recorder'
import { D1Store, type SqlDatabase } from '../../src/store/d1'
import type { ArticleStore } from '../../src/store/types'
import { asyncD1, D1_RUNNER } from '../helpers/async-d1'
import { contractCatalog } from '../helpers/catalog'
import { serveApp } from '../helpers/serve-node'
import { API_TOKEN } from '../helpers/tokens'

/** A queued message as the harness keeps it: when it may run, and how often it has. */
interface Queued {
  body: DeliveryMessage
  attempts: number
  notBefore: number
}

/** The Worker's federation, run in Node on a clock the test moves: D1 from Miniflare, a queue in memory. */
export interface Newsroom {
  origin: string
  db: SqlDatabase
  env: Bindings
  /** The instant every request, cron run and delivery sees (ms); the test moves it. */
  now: number
  /** Messages sent to the queue and not yet acknowledged or given up. */
  queue: Queued[]
  /** Every message ever sent to the queue. */
  sent: DeliveryMessage[]
  fetch(path: string, init?: RequestInit): Promise<Response>
  /** Runs the queue consumer on every message due at `now` until none is; returns the batches run. */
  drain(): Promise<number>
  /** The Cron Trigger of the minute that ends at `now`. */
  cron(): Promise<void>
  close(): Promise<void>
}

/** The publish token the harness's API takes. */
export const TOKEN = API_TOKEN

async function migrate(db: SqlDatabase, folder: string): Promise<void> {
  for (const migration of await readD1Migrations(folder))
    for (const query of migration.queries) await db.prepare(query).run()
}

/**
 * A D1 newsroom (the contract catalog) with federation on, served over HTTP on 127.0.0.1 so
 * that a peer can fetch its actors' keys, at `now` (a minute boundary near the real time,
 * since the peer checks signed Dates against its own clock).
 */
export async function startNewsroom(
  options: { catalog?: Catalog; storeFor?: (db: SqlDatabase) => ArticleStore } = {},
): Promise<Newsroom> {
  const mf = new Miniflare({
    modules: true,
    script: D1_RUNNER,
    d1Databases: ['DB', 'FEDERATION'],
  })
  const articles = asyncD1(mf, 'DB')
  const db = asyncD1(mf, 'FEDERATION')
  await migrate(articles, 'migrations')
  await migrate(db, 'migrations-federation')
  const catalog = options.catalog ?? contractCatalog()
  const store =
    options.storeFor?.(articles) ?? new D1Store(articles, { ...catalog, tags: [] }, { ttl: 0 })
  const queue: Queued[] = []
  const sent: DeliveryMessage[] = []
  const pending: Promise<unknown>[] = []
  const env: Bindings = {
    DB: articles,
    FEDERATION: db,
    FEDERATION_DEV: '1',
    API_TOKEN: TOKEN,
    FEDERATION_QUEUE: {
      async sendBatch(messages: { body: DeliveryMessage }[]) {
        for (const { body } of messages) {
          sent.push(body)
          queue.push({ body, attempts: 1, notBefore: 0 })
        }
      },
    },
  }
  const ctx = {
    waitUntil: (p: Promise<unknown>) => void pending.push(p),
    passThroughOnException() {},
  } as unknown as ExecutionContext
  const state = { now: Math.floor(Date.now() / 60_000) * 60_000 }
  const app = createApp(() => store, { api: createApi(), clock: () => state.now })
  const server = await serveApp({ fetch: (request) => app.fetch(request, env, ctx) })
  const settle = async () => {
    while (pending.length > 0) await Promise.all(pending.splice(0))
  }
  const cron = scheduledTasks(() => store, new StatsRecorder())
  return {
    origin: server.url.origin,
    db,
    env,
    get now() {
      return state.now
    },
    set now(value: number) {
      state.now = value
    },
    queue,
    sent,
    async fetch(path, init) {
      const response = await fetch(new URL(path, server.url), init)
      await settle()
      return response
    },
    async drain() {
      let batches = 0
      for (;;) {
        const due = queue.filter((m) => m.notBefore <= state.now).slice(0, 50)
        if (due.length === 0) return batches
        batches += 1
        const messages = due.map((queued) => ({
          body: queued.body,
          attempts: queued.attempts,
          ack: () => queue.splice(queue.indexOf(queued), 1),
          retry: (options?: { delaySeconds?: number }) => {
            queued.attempts += 1
            queued.notBefore = state.now + (options?.delaySeconds ?? 0) * 1000
          },
        }))
        await consumeDeliveries({ messages }, env, state.now)
        await settle()
      }
    },
    async cron() {
      await cron({ scheduledTime: state.now }, env, ctx)
      await settle()
    },
    async close() {
      await server.close()
      await mf.dispose()
    },
  }
}
