/**
 * A newsroom day (`npm run bench -- --only=newsroom`): an archive of 10,000 long articles in
 * about 400 feeds, imported into local D1 with `npm run import`'s own code; then one simulated
 * day in workerd on the app with its real D1 store (bench/newsroom-worker.ts): 100 publishes,
 * 20 edits, 3 deletions and 10 scheduled articles appearing at their minute, the Cron Trigger
 * run every simulated minute, while every feed is polled in every format it is served in by a
 * reader on a 15–60 minute interval that honours Cache-Control and sends back the ETag and
 * Last-Modified of its last answer. Two identities answer the same readers from the same
 * database in one pass: feeds identified by their own revisions (newswire now), and by one
 * site-wide version (newswire before: any write turned every feed over).
 */
import { cpSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'
import { nameRecord, profileKeys } from '../scripts/content-files'
import { readSpool } from '../scripts/import-archive'
import { random } from '../scripts/newsroom'
import { restrictHtml } from '../src/content/markdown'
import { type Catalog, listFeeds, matchesFilter } from '../src/model/feeds'
import type { Article } from '../src/model/types'
import { renderAllFragments } from '../src/profiles/fragments'
import { feedFileUrl } from '../src/render/document'
import { formatsOf } from '../src/render/formats'
import { CRON_PERIOD } from '../src/routes/announce'
import { BundledStore } from '../src/store/bundled'
import { compileBundle } from '../src/store/compile'
import type { StoredArticle } from '../src/store/types'
import { type Archive, DAY_START, MINUTE, prepareArchive, TODAY, WORK } from './newsroom-archive'
import { section } from './report'

const DAY = 86_400_000

type Event =
  | { at: number; kind: 'publish' | 'schedule'; article: StoredArticle }
  | { at: number; kind: 'edit' | 'delete'; pick: number }

// The same events for both behaviours: seeded, in time order.
function script(today: StoredArticle[], catalog: Catalog): Event[] {
  const next = random(2026)
  const within = (from: number, span: number) => from + Math.floor(next() * span)
  const at = (article: StoredArticle, published: number): StoredArticle => {
    const when = new Date(published).toISOString()
    const moved: Article = { ...article, published: when, updated: when }
    return { ...moved, fragments: renderAllFragments(moved, catalog, restrictHtml) }
  }
  const events: Event[] = []
  for (const article of today.slice(0, 100)) {
    const when = within(DAY_START, DAY)
    events.push({ at: when, kind: 'publish', article: at(article, when) })
  }
  for (const article of today.slice(100, TODAY)) {
    const when = within(DAY_START, DAY / 2)
    const appears = when + MINUTE * (60 + Math.floor(next() * 7 * 60))
    events.push({ at: when, kind: 'schedule', article: at(article, appears) })
  }
  for (let i = 0; i < 20; i++)
    events.push({ at: within(DAY_START, DAY), kind: 'edit', pick: next() })
  for (let i = 0; i < 3; i++)
    events.push({ at: within(DAY_START, DAY), kind: 'delete', pick: next() })
  return events.sort((a, b) => a.at - b.at)
}

interface Reader {
  path: string
  interval: number
  due: number
  etag?: string | undefined
  lastModified?: string | undefined
  /** What the reader holds: the digest of the last body it was sent. */
  digest?: string
}

interface Tally {
  label: string
  identity: 'feeds' | 'global'
  polls: number
  notModified: number
  bytes: number
  minimum: number
  misses: number
  statements: number
  capped: number
  gone: number
  pings: number
  pinged: number
  ms: number
}

// A reader for each feed and each format it is served in, on its own interval and phase.
function readersOf(catalog: Catalog, quick: boolean): Reader[] {
  const next = random(7)
  return listFeeds(catalog).flatMap((feed) =>
    (quick ? formatsOf(feed).slice(0, 1) : formatsOf(feed)).map((format) => {
      const interval = (15 + next() * 45) * MINUTE
      return {
        path: new URL(feedFileUrl(catalog.site.url, feed, format.file)).pathname,
        interval,
        due: DAY_START + next() * interval,
      }
    }),
  )
}

// One poll of the bench Worker, as the identity `identity` answers it.
async function poll(worker: BenchWorker, reader: Reader, tally: Tally, now: number) {
  const headers: Record<string, string> = {
    'x-bench-now': String(now),
    'x-bench-identity': tally.identity,
  }
  if (reader.etag) headers['if-none-match'] = reader.etag
  if (reader.lastModified) headers['if-modified-since'] = reader.lastModified
  const response = await worker.fetch(reader.path, { headers })
  await response.arrayBuffer()
  tally.polls += 1
  tally.statements += Number(response.headers.get('x-bench-statements') ?? 0)
  if (response.headers.get('x-cache') === 'MISS') tally.misses += 1
  const maxAge = Number(/max-age=(\d+)/.exec(response.headers.get('cache-control') ?? '')?.[1])
  if (maxAge < 300) tally.capped += 1
  // It honours Cache-Control: never back before max-age has run out.
  reader.due += Math.max(reader.interval, (Number.isNaN(maxAge) ? 0 : maxAge) * 1000)
  if (response.status === 304) {
    tally.notModified += 1
    return
  }
  if (response.status === 404) {
    // Its last article deleted, a tag feed is gone: the reader stops asking.
    tally.gone += 1
    reader.due = Number.POSITIVE_INFINITY
    return
  }
  if (response.status !== 200) throw new Error(`${reader.path}: ${response.status}`)
  const bytes = Number(response.headers.get('x-bench-bytes'))
  const digest = response.headers.get('x-bench-digest') ?? ''
  tally.bytes += bytes
  // The least any design could send: a body only when the feed holds something new to this reader.
  if (digest !== reader.digest) tally.minimum += bytes
  reader.digest = digest
  reader.etag = response.headers.get('etag') ?? undefined
  reader.lastModified = response.headers.get('last-modified') ?? undefined
}

/** The bench Worker (bench/newsroom-worker.ts) on a copy of the imported database. */
interface BenchWorker {
  fetch(path: string, init?: RequestInit): Promise<Response>
  dispose(): Promise<void>
}

async function startBenchWorker(archive: Archive): Promise<BenchWorker> {
  const bundled = await build({
    entryPoints: [join(process.cwd(), 'bench/newsroom-worker.ts')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    write: false,
  })
  const dir = join(WORK, 'day')
  rmSync(dir, { recursive: true, force: true })
  cpSync(archive.persist, dir, { recursive: true })
  const mf = new Miniflare({
    modules: true,
    script: bundled.outputFiles[0]?.text ?? '',
    compatibilityDate: '2026-04-01',
    d1Databases: { DB: 'newsroom' },
    d1Persist: dir,
    bindings: { CATALOG: archive.setup.catalog },
  })
  return {
    fetch: (path, init) =>
      mf.dispatchFetch(`https://bench.test${path}`, init as never) as unknown as Promise<Response>,
    dispose: () => mf.dispose(),
  }
}

const post = (worker: BenchWorker, path: string, now: number, body: unknown) =>
  worker
    .fetch(path, {
      method: 'POST',
      headers: { 'x-bench-now': String(now), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    .then((r) => r.json())

/** Both identities through one day, on one database: the same events, the same readers. */
async function runDay(archive: Archive, events: Event[], quick: boolean) {
  const worker = await startBenchWorker(archive)
  const blank = (label: string, identity: Tally['identity']): Tally => ({
    label,
    identity,
    polls: 0,
    notModified: 0,
    bytes: 0,
    minimum: 0,
    misses: 0,
    statements: 0,
    capped: 0,
    gone: 0,
    pings: 0,
    pinged: 0,
    ms: 0,
  })
  const tallies = [
    blank('a revision per feed (now)', 'feeds'),
    blank('one site-wide version (before)', 'global'),
  ]
  const catalog = archive.setup.catalog
  const readers = tallies.map(() => readersOf(catalog, quick))
  // Subscribed long before: every reader starts the day holding what the feed held at midnight.
  for (const [i, list] of readers.entries()) {
    const warm = blank('', tallies[i]?.identity ?? 'feeds')
    for (const reader of list) {
      const due = reader.due
      await poll(worker, reader, warm, DAY_START)
      reader.due = due
    }
  }
  const recent = [...archive.newest]
  const topics: string[] = []
  const started = performance.now()
  let event = 0
  let nextCron = DAY_START + CRON_PERIOD
  let hour = DAY_START
  try {
    for (;;) {
      const due = readers.map((list) =>
        list.reduce<Reader | undefined>(
          (soonest, r) => (!soonest || r.due < soonest.due ? r : soonest),
          undefined,
        ),
      )
      const pending = events[event]
      const now = Math.min(
        due[0]?.due ?? Infinity,
        due[1]?.due ?? Infinity,
        pending?.at ?? Infinity,
        nextCron,
      )
      if (now >= DAY_START + DAY) break
      if (now >= hour + 3_600_000) {
        hour += 3_600_000
        const [a] = tallies as [Tally]
        console.log(
          `newsroom day: hour ${(hour - DAY_START) / 3_600_000}, ${a.polls} polls each, ${((performance.now() - started) / 1000).toFixed(0)} s`,
        )
      }
      if (now === nextCron) {
        const ran = (await post(worker, '/__bench/cron', now, {})) as {
          pings: number
          topics: string[]
        }
        for (const tally of tallies) tally.pings += ran.pings
        topics.push(...ran.topics)
        nextCron += CRON_PERIOD
      } else if (pending && now === pending.at) {
        event += 1
        await apply(worker, pending, catalog, recent, now)
      } else {
        const which = (due[0]?.due ?? Infinity) <= (due[1]?.due ?? Infinity) ? 0 : 1
        await poll(worker, due[which] as Reader, tallies[which] as Tally, now)
      }
    }
  } finally {
    await worker.dispose()
  }
  const ms = performance.now() - started
  for (const tally of tallies) tally.ms = ms
  return { tallies, topics }
}

// A write of the day, as the publish API makes it.
async function apply(
  worker: BenchWorker,
  event: Event,
  catalog: Catalog,
  recent: StoredArticle[],
  now: number,
): Promise<void> {
  if ('article' in event) {
    await post(worker, '/__bench/write', now, event.article)
    recent.unshift(event.article)
    return
  }
  const visible = recent.filter((a) => Date.parse(a.published) <= now)
  const target = visible[Math.floor(event.pick * Math.min(visible.length, 200))] as StoredArticle
  const index = recent.indexOf(target)
  if (event.kind === 'delete') {
    await post(worker, '/__bench/delete', now, { id: target.id })
    recent.splice(index, 1)
    return
  }
  const edited: Article = {
    ...target,
    title: `${target.title} (updated)`,
    updated: new Date(now).toISOString(),
  }
  const stored = { ...edited, fragments: renderAllFragments(edited, catalog, restrictHtml) }
  await post(worker, '/__bench/write', now, stored)
  recent[index] = stored
}

// The bundled store of the same archive, built twice: with and without one more article.
async function redeploy(archive: Archive) {
  const articles: StoredArticle[] = []
  for await (const article of readSpool(archive.spool)) articles.push(article)
  articles.sort((a, b) =>
    a.published < b.published ? 1 : a.published > b.published ? -1 : a.id < b.id ? 1 : -1,
  )
  const catalog = archive.setup.catalog
  const compile = (list: StoredArticle[]) =>
    compileBundle(
      catalog,
      list,
      list.map((a) => a.fragments),
      profileKeys,
      {
        nameRecord,
        keepRecord: () => false,
        build: 'bench',
        now: DAY_START,
      },
    ).index
  const started = performance.now()
  const before = compile(articles)
  const seconds = (performance.now() - started) / 1000
  // One more article, out just before the build.
  const today = archive.today[0] as StoredArticle
  const out = new Date(DAY_START - MINUTE).toISOString()
  const moved: Article = { ...today, published: out, updated: out }
  const fresh = { ...moved, fragments: renderAllFragments(moved, catalog, restrictHtml) }
  const after = compile([fresh, ...articles])
  const store = (index: typeof before) => new BundledStore(index, async () => new Uint8Array())
  const [one, two] = [store(before), store(after)]
  const feeds = listFeeds({ ...catalog, tags: (await two.catalog(DAY_START)).tags })
  let changed = 0
  let holding = 0
  for (const feed of feeds) {
    const a = await one.state(feed, DAY_START)
    const b = await two.state(feed, DAY_START)
    if (a.revision !== b.revision) changed += 1
    if (matchesFilter(fresh, feed.filter)) holding += 1
  }
  return { feeds: feeds.length, changed, holding, seconds }
}

// Where the import's figures come from: this run, or the earlier run whose database it reused.
function importSource(imported: Archive['imported']): string {
  if (!imported.reused) return 'Measured in this run.'
  const when = imported.measuredAt
    ? `on ${imported.measuredAt.slice(0, 10)}`
    : 'at an unrecorded date'
  return `Not measured in this run: these are the figures of the import that ran ${when}, whose database this run reused (same code and migrations); delete .wrangler/bench-newsroom to measure it again.`
}

const count = (n: number) => Math.round(n).toLocaleString('en-US')
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`

/** Runs the newsroom day; returns bytes over the minimum (new) and the baseline's bytes ÷ new. */
export async function benchNewsroom(
  quick: boolean,
): Promise<{ overMinimum: number; fewer: number }> {
  const size = quick ? 2_000 : 10_000
  const archive = await prepareArchive(size)
  const events = script(archive.today, archive.setup.catalog)
  const day = await runDay(archive, events, quick)
  const [perFeedTally, globalTally] = day.tallies as [Tally, Tally]
  const perFeed = { tally: perFeedTally, topics: day.topics }
  const global = { tally: globalTally }
  const bundled = await redeploy(archive)
  const appeared = events.filter((e) => e.kind === 'schedule') as { article: StoredArticle }[]
  // Each run of the trigger pings the feeds of what appeared since the run before, once each.
  const runs = new Map<number, StoredArticle[]>()
  for (const { article } of appeared) {
    const minute = Math.ceil(Date.parse(article.published) / CRON_PERIOD) * CRON_PERIOD
    runs.set(minute, [...(runs.get(minute) ?? []), article])
  }
  const catalog = archive.setup.catalog
  const expectedTopics = [...runs.values()]
    .flatMap((articles) =>
      listFeeds(catalog)
        .filter((feed) => articles.some((a) => matchesFilter(a, feed.filter)))
        .flatMap((feed) => formatsOf(feed).map((f) => feedFileUrl(catalog.site.url, feed, f.file))),
    )
    .sort()
  const exact = JSON.stringify([...perFeed.topics].sort()) === JSON.stringify(expectedTopics)
  const rows = [perFeed.tally, global.tally].map(
    (t) =>
      `| ${t.label} | ${count(t.polls)} | ${((t.notModified / t.polls) * 100).toFixed(1)}% | ${mb(t.bytes)} | ${mb(t.minimum)} | ${(t.bytes / t.minimum).toFixed(3)}× | ${count((t.statements * 1000) / t.polls)} | ${count((t.misses * 1000) / t.polls)} |`,
  )
  const fewer = global.tally.bytes / perFeed.tally.bytes
  const overMinimum = perFeed.tally.bytes / perFeed.tally.minimum
  const { imported } = archive
  section(
    [
      `### A newsroom day: ${count(size)} articles, ${count(listFeeds(archive.setup.catalog).length)} feeds, D1 store`,
      '',
      `${count(events.filter((e) => e.kind === 'publish').length)} publishes, ${count(events.filter((e) => e.kind === 'edit').length)} edits, ${count(events.filter((e) => e.kind === 'delete').length)} deletions and ${appeared.length} scheduled appearances over one simulated day; ${count(perFeed.tally.polls)} polls by readers of every feed${quick ? ' (one format each)' : ' in every format'} on 15–60 minute intervals, each sending the ETag and Last-Modified of its last answer. Every reader starts the day holding what its feed held at midnight. Bytes are response bodies; the minimum is a body only when the reader had not seen those bytes. Statements are D1 statements run for polls (state reads and renders), cache misses the polls no cache layer answered.`,
      '',
      '| feed identity | polls | answered 304 | bytes sent | minimum | sent ÷ minimum | D1 statements per 1,000 polls | cache misses per 1,000 polls |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
      `Per-feed revisions send ${fewer.toFixed(1)}× fewer bytes than the site-wide version, within ${overMinimum.toFixed(3)}× of the minimum. Polls answered with a freshness capped by a scheduled article: ${count(perFeed.tally.capped)}. WebSub (the Cron Trigger every simulated minute): ${perFeed.tally.pings} hub pings for ${appeared.length} appearances in ${runs.size} runs, ${count(perFeed.topics.length)} feed URLs: ${exact ? 'exactly the feeds of the appeared articles, once per run' : 'NOT exactly the feeds of the appeared articles'}.`,
      '',
      `Import of the archive (\`npm run import\`'s code into local D1): ${count(imported.articles)} articles in ${imported.seconds.toFixed(0)} s (rendered in ${imported.renderSeconds.toFixed(0)} s on every core, written in ${imported.writeSeconds.toFixed(0)} s${imported.renderSeconds < 1 ? ', an earlier rendering reused' : ''}). ${importSource(imported)}`,
      '',
      `Bundled store, the same archive: a build with one more article turns over ${bundled.changed} of ${bundled.feeds} feeds; the article is in ${bundled.holding} (index compiled in ${bundled.seconds.toFixed(1)} s).`,
      '',
    ].join('\n'),
  )
  return { overMinimum, fewer }
}
