/**
 * What the feed statistics cost:
 * - requests/s on a cached feed from two `wrangler dev` Workers started alike, one with the
 *   statistics on (a local STATS database and a STATS_SECRET) and one without, in interleaved
 *   autocannon rounds; then whether every request served was counted;
 * - D1 statements and rows written per 10,000 polls, from the real flush code into a local
 *   D1, for a newsroom's mix of readers polling 400 feeds through four isolates.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readD1Migrations } from '@cloudflare/vitest-pool-workers'
import autocannon from 'autocannon'
import { Miniflare } from 'miniflare'
import { applyMigrations } from '../scripts/d1-connection'
import { startDev } from '../scripts/dev-server'
import { flushStatements } from '../src/stats/d1-stats'
import { type Answered, pollOf } from '../src/stats/poll'
import { FLUSH_EVERY, StatsRecorder } from '../src/stats/recorder'
import type { SqlDatabase } from '../src/store/d1'
import { section } from './report'
import { divide, formatSummary, type Ratio, type Summary, summarise } from './verdict'

const OFF_PORT = 8798
const ON_PORT = 8799
const SECRET = 'bench-stats-secret-0123456789abcdef'

// Each Worker keeps its own local D1 and inspector port, and runs the Cron Trigger on request.
const devArgs = (port: number, persist: string) => [
  '--persist-to',
  persist,
  '--inspector-port',
  String(port + 1000),
  '--test-scheduled',
]

function sql(persist: string, query: string): Record<string, number>[] {
  const out = execFileSync(
    'sh',
    [
      'scripts/wrangler.sh',
      'd1',
      'execute',
      'newswire-stats',
      '--local',
      '--persist-to',
      persist,
      '--json',
      '--command',
      query,
    ],
    { encoding: 'utf8', env: { ...process.env, CI: '1' }, stdio: ['ignore', 'pipe', 'ignore'] },
  )
  return (JSON.parse(out) as { results: Record<string, number>[] }[])[0]?.results ?? []
}

const median = (values: number[]) => summarise(values).median
const USER_AGENT = 'Mozilla/5.0 (compatible; Miniflux/2.0.12; +https://miniflux.app)'

/** Statistics on over off: the medians' ratio, and each round's ratio summarised. */
interface Overhead {
  ratio: Ratio
  rounds: Summary
}

async function overhead(rounds: number, seconds: number): Promise<Overhead> {
  const persistOn = mkdtempSync(join(tmpdir(), 'newswire-stats-on-'))
  const persistOff = mkdtempSync(join(tmpdir(), 'newswire-stats-off-'))
  applyMigrations(false, 'newswire-stats', undefined, persistOn)
  const started = await Promise.allSettled([
    startDev({
      port: ON_PORT,
      vars: [`STATS_SECRET:${SECRET}`],
      args: devArgs(ON_PORT, persistOn),
    }),
    startDev({ port: OFF_PORT, args: devArgs(OFF_PORT, persistOff) }),
  ])
  const [on, off] = started.map((r) => (r.status === 'fulfilled' ? r.value : undefined))
  try {
    for (const r of started) if (r.status === 'rejected') throw r.reason
    let served = 0
    const run = async (port: number) => {
      const result = await autocannon({
        url: `http://127.0.0.1:${port}/rss.xml`,
        connections: 50,
        duration: seconds,
        headers: { 'user-agent': USER_AGENT },
      })
      if (port === ON_PORT) served += result['2xx'] + result['3xx']
      return result.requests.average
    }
    await run(OFF_PORT)
    await run(ON_PORT)
    served = 0
    // The warm-up's polls are counted too: start from what the database holds after them.
    await fetch(`http://127.0.0.1:${ON_PORT}/__scheduled`)
    const before =
      sql(persistOn, 'SELECT COALESCE(SUM(polls), 0) AS polls FROM stats_polls')[0]?.polls ?? 0
    const results = { on: [] as number[], off: [] as number[] }
    for (let round = 0; round < rounds; round++) {
      results.off.push(await run(OFF_PORT))
      results.on.push(await run(ON_PORT))
    }
    // The Cron Trigger writes what the isolate still holds.
    await fetch(`http://127.0.0.1:${ON_PORT}/__scheduled`)
    await new Promise((resolve) => setTimeout(resolve, 2000))
    const after =
      sql(persistOn, 'SELECT COALESCE(SUM(polls), 0) AS polls FROM stats_polls')[0]?.polls ?? 0
    const ratio = divide('on', median(results.on), 'off', median(results.off))
    // Each round runs off then on back to back: its own ratio shows how far runs apart differ.
    const perRound = summarise(results.on.map((on, i) => on / (results.off[i] as number)))
    const row = (name: string, rps: number[]) =>
      `| ${name} | ${Math.round(median(rps)).toLocaleString('en-US')} | ${Math.round(Math.min(...rps)).toLocaleString('en-US')}–${Math.round(Math.max(...rps)).toLocaleString('en-US')} | ${(median(rps) / median(results.off)).toFixed(2)}× |`
    section(
      [
        `### Statistics: a cached feed with statistics off and on, autocannon, 50 connections, ${rounds} interleaved rounds of ${seconds} s`,
        '',
        "Two `wrangler dev` Workers alike but for the STATS_SECRET; ratio = requests/s ÷ the off one's.",
        '',
        '| case | req/s (median) | req/s (min–max) | ratio |',
        '| --- | ---: | ---: | ---: |',
        row('/rss.xml, statistics off', results.off),
        row('/rss.xml, statistics on', results.on),
        '',
        `Counted: ${(after - before).toLocaleString('en-US')} polls written for ${served.toLocaleString('en-US')} answered in the rounds.`,
        '',
        `Round by round, requests/s on ÷ off: ${formatSummary(perRound)}.`,
        '',
      ].join('\n'),
    )
    return { ratio, rounds: perRound }
  } finally {
    await Promise.all([on?.stop(), off?.stop()])
    rmSync(persistOn, { recursive: true, force: true })
    rmSync(persistOff, { recursive: true, force: true })
  }
}

// A newsroom hour: 400 feeds, polled by web readers (one fetcher per feed every 30 min),
// 2,000 people's apps (every 15 to 60 min, a few feeds each) and crawlers.
function* newsroomHour(start: number): Generator<Answered> {
  const feeds = Array.from({ length: 400 }, (_, i) => (i === 0 ? '' : `tags/tag-${i}`))
  const polls: Answered[] = []
  const services = [
    (n: number) => `Feedly/1.0 (+http://www.feedly.com/fetcher.html; ${n} subscribers; )`,
    (n: number) => `Inoreader/1.0 (+http://www.inoreader.com/feed-fetcher; ${n} subscribers; )`,
    (n: number) => `Feedbin feed-id:${n} - ${n % 40} subscribers`,
  ]
  for (const [s, ua] of services.entries())
    for (const [f, feed] of feeds.entries())
      for (let at = (f * 4513 + s * 997) % 1_800_000; at < 3_600_000; at += 1_800_000)
        polls.push({
          at: start + at,
          feed,
          status: at % 3 ? 304 : 200,
          bytes: at % 3 ? 0 : 40_000,
          address: `10.9.${s}.1`,
          userAgent: ua(f + 1),
        })
  const apps = [
    'Mozilla/5.0 (compatible; Miniflux/2.0.12; +https://miniflux.app)',
    'NetNewsWire (RSS Reader; https://netnewswire.com/)',
    'FreshRSS/1.28.0 (Linux; https://freshrss.org)',
  ]
  for (let person = 0; person < 2000; person++) {
    const every = (15 + (person % 4) * 15) * 60_000
    for (let k = 0; k < 3; k++) {
      const feed = feeds[(person * 7 + k * 131) % feeds.length] as string
      for (let at = (person * 7919 + k * 104_729) % every; at < 3_600_000; at += every)
        polls.push({
          at: start + at,
          feed,
          status: at % 4 ? 304 : 200,
          bytes: at % 4 ? 0 : 40_000,
          address: `10.${person >> 8}.${person & 255}.2`,
          userAgent: apps[person % apps.length] as string,
        })
    }
  }
  for (let i = 0; i < 600; i++)
    polls.push({
      at: start + i * 6000,
      feed: feeds[(i * 37) % feeds.length] as string,
      status: 200,
      bytes: 40_000,
      address: `66.249.66.${i % 50}`,
      userAgent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    })
  polls.sort((a, b) => a.at - b.at)
  yield* polls
}

const TABLES = ['polls', 'reports', 'registers', 'intervals'] as const
const HOURS = 3

async function writes(): Promise<void> {
  const mf = new Miniflare({
    modules: true,
    script: 'export default { fetch() { return new Response(null) } }',
    d1Databases: ['STATS'],
  })
  try {
    const d1 = await mf.getD1Database('STATS')
    for (const migration of await readD1Migrations('migrations-stats'))
      for (const query of migration.queries) await d1.prepare(query).run()
    const db = d1 as unknown as SqlDatabase
    const isolates = Array.from({ length: 4 }, () => new StatsRecorder())
    const start = Date.UTC(2026, 11, 1, 9)
    // Per hour of the simulation: polls, flushes, and statements and rows written per table.
    const hours = Array.from({ length: HOURS }, () => ({
      polls: 0,
      flushes: 0,
      statements: Object.fromEntries(TABLES.map((t) => [t, 0])) as Record<
        (typeof TABLES)[number],
        number
      >,
      rows: Object.fromEntries(TABLES.map((t) => [t, 0])) as Record<
        (typeof TABLES)[number],
        number
      >,
    }))
    const hourOf = (at: number) =>
      hours[
        Math.max(0, Math.min(HOURS - 1, Math.floor((at - start) / 3_600_000)))
      ] as (typeof hours)[number]
    // Each table's rows go out in their own statements, as in a real flush; they are sent table
    // by table here only to count each one's writes.
    const flush = async (recorder: StatsRecorder, now: number) => {
      const batch = recorder.drain(now)
      const hour = hourOf(now - 1)
      let any = false
      for (const table of TABLES) {
        const list = flushStatements(db, {
          polls: [],
          reports: [],
          registers: [],
          intervals: [],
          [table]: batch[table],
        })
        if (list.length === 0) continue
        any = true
        hour.statements[table] += list.length
        for (const result of await db.batch(list))
          hour.rows[table] += (result.meta as { rows_written?: number }).rows_written ?? 0
      }
      if (any) hour.flushes += 1
    }
    let n = 0
    for (let h = 0; h < HOURS; h++)
      for (const answered of newsroomHour(start + h * 3_600_000)) {
        const recorder = isolates[n++ % isolates.length] as StatsRecorder
        recorder.record(await pollOf(SECRET, answered))
        hourOf(answered.at).polls += 1
        if (recorder.due(answered.at)) await flush(recorder, answered.at)
      }
    for (const recorder of isolates) await flush(recorder, start + HOURS * 3_600_000)
    const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0)
    const per = (value: number, polls: number) =>
      Math.round((value / polls) * 10_000).toLocaleString('en-US')
    section(
      [
        `### Statistics: D1 writes, ${HOURS} hours of a newsroom's polls`,
        '',
        `${hours[0]?.polls.toLocaleString('en-US')} polls an hour of 400 feeds (three web readers every 30 min, 2,000 people's apps every 15 to 60 min, a crawler) through 4 isolates, each writing at most every ${FLUSH_EVERY / 1000} s; rows written as local D1 reports them, per 10,000 polls. The day's first hour meets every client for the first time.`,
        '',
        `| hour | D1 batches | statements | rows written | of which: ${TABLES.join(' · ')} |`,
        '| --- | ---: | ---: | ---: | --- |',
        ...hours.map(
          (hour, i) =>
            `| ${i + 1} | ${per(hour.flushes, hour.polls)} | ${per(sum(hour.statements), hour.polls)} | ${per(sum(hour.rows), hour.polls)} | ${TABLES.map((t) => per(hour.rows[t], hour.polls)).join(' · ')} |`,
        ),
        '',
      ].join('\n'),
    )
  } finally {
    await mf.dispose()
  }
}

/** Runs both; returns statistics-on requests/s over statistics-off, overall and per round. */
export async function benchStats(quick: boolean): Promise<Overhead> {
  const result = await overhead(quick ? 2 : 5, quick ? 4 : 10)
  await writes()
  return result
}
