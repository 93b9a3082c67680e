/**
 * Federation (`npm run bench -- --only=federation`): one publish to 10,000 followers on 2,000
 * servers, each server's shared inbox served by one Node server on 127.0.0.1 (path
 * `/s{n}/inbox`), the real planning, queue consumer, signatures and D1 code (Miniflare's D1,
 * reached from Node by async requests only: bench/d1-over-fetch.ts), a queue in memory whose
 * retries run on a virtual clock; 5% of the inboxes answer 500 twice before 202. The queue runs as many consumer invocations at once, each with a batch as large,
 * as wrangler.toml's consumer allows (`max_concurrency`, `max_batch_size`): what Cloudflare
 * Queues does once it has scaled up to that concurrency (it scales up with the backlog, which
 * this does not model, nor the network's latency or remote D1's). Then a cached feed's
 * requests/s with federation on and off, interleaved rounds.
 */

import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { readD1Migrations } from '@cloudflare/vitest-pool-workers'
import { Miniflare } from 'miniflare'
import { parse } from 'smol-toml'
import { CONCURRENCY, consumeDeliveries } from '../src/federation/consumer'
import type { DeliveryMessage } from '../src/federation/delivery'
import { planChange } from '../src/federation/plan'
import type { SqlDatabase, SqlStatement } from '../src/store/d1'
import { appFor } from '../tests/helpers/app'
import { makeArticle } from '../tests/helpers/builders'
import { contractCatalog } from '../tests/helpers/catalog'
import { D1_WORKER, d1OverFetch } from './d1-over-fetch'
import { section } from './report'
import { atLeast, formatSummary, summarise, type Verdict } from './verdict'

const SERVERS = 2000
const FOLLOWERS = 10_000

/** The production consumer's batch size and concurrency, as wrangler.toml sets them. */
function consumerLimits(): { batch: number; concurrency: number } {
  const config = parse(readFileSync('wrangler.toml', 'utf8')) as {
    queues?: { consumers?: { max_batch_size?: number; max_concurrency?: number }[] }
  }
  const consumer = config.queues?.consumers?.[0]
  if (!consumer?.max_batch_size || !consumer.max_concurrency)
    throw new Error('wrangler.toml: the queue consumer sets no max_batch_size or max_concurrency')
  return { batch: consumer.max_batch_size, concurrency: consumer.max_concurrency }
}

interface Queued {
  body: DeliveryMessage
  attempts: number
  notBefore: number
  leased: boolean
}

// Cloudflare Queues in memory: up to `concurrency` consumer invocations at once, each given
// up to `batch` due messages no other invocation holds; retries wait on the virtual clock,
// which jumps to the next due message when nothing is due or running.
async function runQueue(
  queue: Queued[],
  env: Parameters<typeof consumeDeliveries>[1],
  limits: { batch: number; concurrency: number },
  start: number,
) {
  let clock = start
  let consumed = 0
  let retries = 0
  const running = new Set<Promise<void>>()
  const invoke = (due: Queued[]) => {
    for (const m of due) m.leased = true
    consumed += due.length
    const messages = due.map((m) => ({
      body: m.body,
      attempts: m.attempts,
      ack: () => queue.splice(queue.indexOf(m), 1),
      retry: (o?: { delaySeconds?: number }) => {
        retries += 1
        m.attempts += 1
        m.notBefore = clock + (o?.delaySeconds ?? 0) * 1000
        m.leased = false
      },
    }))
    const run = consumeDeliveries({ messages }, env, clock).then(() => {
      running.delete(run)
    })
    running.add(run)
  }
  while (queue.length > 0 || running.size > 0) {
    while (running.size < limits.concurrency) {
      const due = queue.filter((m) => !m.leased && m.notBefore <= clock).slice(0, limits.batch)
      if (due.length === 0) break
      invoke(due)
    }
    if (running.size > 0) await Promise.race(running)
    else clock = Math.min(...queue.map((m) => m.notBefore))
  }
  return { consumed, retries }
}

// Counts every statement D1 runs (a batch counts each of its statements).
function counting(db: SqlDatabase, count: { n: number }): SqlDatabase {
  const wrap = (statement: SqlStatement): SqlStatement =>
    ({
      bind: (...values) => wrap(statement.bind(...values)),
      first: (...args) => {
        count.n += 1
        return statement.first(...args)
      },
      all: (...args) => {
        count.n += 1
        return statement.all(...args)
      },
      run: () => {
        count.n += 1
        return statement.run()
      },
      // The raw statement is what D1's batch takes.
      [Symbol.for('raw')]: statement,
    }) as SqlStatement
  return {
    prepare: (query) => wrap(db.prepare(query)),
    batch: (statements) => {
      count.n += statements.length
      return db.batch(
        statements.map(
          (s) => (s as unknown as Record<symbol, SqlStatement>)[Symbol.for('raw')] ?? s,
        ),
      )
    },
  }
}

async function inboxes(failing: Set<number>) {
  const received = new Map<number, number>()
  const failures = new Map<number, number>()
  const server = createServer((req, res) => {
    const n = Number(/^\/s(\d+)\/inbox$/.exec(req.url ?? '')?.[1])
    req.resume()
    req.on('end', () => {
      const failed = failures.get(n) ?? 0
      if (failing.has(n) && failed < 2) {
        failures.set(n, failed + 1)
        res.writeHead(500).end()
        return
      }
      received.set(n, (received.get(n) ?? 0) + 1)
      res.writeHead(202).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return { port, received, close: () => server.close() }
}

async function deliveryRun() {
  const mf = new Miniflare({ modules: true, script: D1_WORKER, d1Databases: ['F'] })
  const raw = d1OverFetch(mf)
  for (const migration of await readD1Migrations('migrations-federation'))
    for (const query of migration.queries) await raw.prepare(query).run()
  const failing = new Set(Array.from({ length: SERVERS / 20 }, (_, i) => i * 20 + 7))
  const peer = await inboxes(failing)
  const rows = Array.from({ length: FOLLOWERS }, (_, i) => {
    const s = i % SERVERS
    return raw
      .prepare(
        `INSERT INTO followers (handle, origin, actor, inbox, shared_inbox, server, follow_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 0)`,
      )
      .bind(
        'site',
        'https://news.test',
        `https://s${s}.example/users/u${i}`,
        `https://s${s}.example/users/u${i}/inbox`,
        `http://127.0.0.1:${peer.port}/s${s}/inbox`,
        `s${s}.example`,
        `https://s${s}.example/f/${i}`,
      )
  })
  for (let i = 0; i < rows.length; i += 100) await raw.batch(rows.slice(i, i + 100))
  const count = { n: 0 }
  const db = counting(raw, count)
  let peak = process.memoryUsage().rss
  const sample = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, 50)
  const queue: Queued[] = []
  let queued = 0
  // Development mode: the fake inboxes are http on 127.0.0.1, which production refuses.
  const env = {
    FEDERATION: db,
    FEDERATION_DEV: '1',
    FEDERATION_QUEUE: {
      async sendBatch(messages: { body: DeliveryMessage }[]) {
        queued += messages.length
        for (const { body } of messages)
          queue.push({ body, attempts: 1, notBefore: 0, leased: false })
      },
    },
  }
  const limits = consumerLimits()
  const clock = Date.now()
  const started = performance.now()
  const article = makeArticle()
  const messages = await planChange(db, contractCatalog(), article, 'Create', { now: clock })
  const planStatements = count.n
  await env.FEDERATION_QUEUE.sendBatch(messages.map((body) => ({ body })))
  const { consumed, retries } = await runQueue(queue, env, limits, clock)
  const seconds = (performance.now() - started) / 1000
  clearInterval(sample)
  const everyInbox = [...Array(SERVERS).keys()].every(
    (s) => peer.received.get(s) === messages.length / SERVERS,
  )
  const twice = [...peer.received.values()].filter((n) => n > messages.length / SERVERS).length
  peer.close()
  await mf.dispose()
  return {
    seconds,
    limits,
    messages: messages.length,
    queued,
    consumed,
    retries,
    planStatements,
    perDelivery: (count.n - planStatements) / consumed,
    peak,
    lost: SERVERS - [...peer.received.keys()].length,
    everyInbox,
    twice,
  }
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number

async function servingRatio(rounds: number, ms: number) {
  const { app } = await appFor()
  const on = {
    FEDERATION: { prepare: () => undefined, batch: () => undefined },
    FEDERATION_QUEUE: { sendBatch: async () => undefined },
  }
  const rate = async (env: Record<string, unknown>) => {
    const end = performance.now() + ms
    let n = 0
    while (performance.now() < end) {
      const response = await app.request('http://127.0.0.1:8787/rss.xml', {}, env)
      await response.arrayBuffer()
      n += 1
    }
    return (n * 1000) / ms
  }
  await rate({})
  await rate(on)
  const offs: number[] = []
  const ons: number[] = []
  for (let i = 0; i < rounds; i++) {
    offs.push(await rate({}))
    ons.push(await rate(on))
  }
  return { offs, ons, ratio: median(ons) / median(offs) }
}

/** Runs both parts, prints their tables, and returns the target rows of bench/run.ts. */
export async function benchFederation(quick: boolean): Promise<Verdict[]> {
  const d = await deliveryRun()
  const s = await servingRatio(quick ? 3 : 7, quick ? 1000 : 3000)
  const spread = (v: number[]) => `${Math.round(Math.min(...v))}–${Math.round(Math.max(...v))}`
  section(
    [
      `### Federation: one publish to ${FOLLOWERS.toLocaleString('en-US')} followers on ${SERVERS.toLocaleString('en-US')} servers (5% of inboxes fail twice)`,
      '',
      '| measure | value |',
      '| --- | ---: |',
      `| deliveries (one per shared inbox) | ${d.messages.toLocaleString('en-US')} |`,
      `| consumer invocations at once × batch × deliveries at once each | ${d.limits.concurrency} × ${d.limits.batch} × ${CONCURRENCY} |`,
      `| time until every inbox has it | ${d.seconds.toFixed(1)} s |`,
      `| queue messages sent / consumed (retries) | ${d.queued} / ${d.consumed} (${d.retries}) |`,
      `| D1 statements to plan the publish | ${d.planStatements} |`,
      `| D1 statements per delivery attempt | ${d.perDelivery.toFixed(2)} |`,
      `| peak memory (RSS, bench process) | ${(d.peak / 1048576).toFixed(0)} MiB |`,
      `| inboxes that never got it / got it twice | ${d.lost} / ${d.twice} |`,
      '',
      `### Federation: cached /rss.xml in the app, requests/s, ${s.offs.length} interleaved rounds`,
      '',
      '| case | req/s (median) | req/s (min–max) | ratio |',
      '| --- | ---: | ---: | ---: |',
      `| federation off | ${Math.round(median(s.offs))} | ${spread(s.offs)} | 1.00× |`,
      `| federation on | ${Math.round(median(s.ons))} | ${spread(s.ons)} | ${s.ratio.toFixed(2)}× |`,
      '',
    ].join('\n'),
  )
  const whole = d.everyInbox && d.lost === 0 && d.twice === 0
  return [
    atLeast(
      'federation: every inbox gets the publish once, 5% failing twice',
      `${d.seconds.toFixed(1)} s, ${d.lost} lost, ${d.twice} twice`,
      whole ? 1 : 0,
      1,
    ),
    atLeast(
      'federation on: cached feed ≥ 0.95× the requests/s with it off',
      `on ÷ off requests/s = ${s.ratio.toFixed(2)}× (round by round ${formatSummary(summarise(s.ons.map((on, i) => on / (s.offs[i] ?? on))))})`,
      s.ratio,
      0.95,
    ),
  ]
}
