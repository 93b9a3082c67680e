/**
 * A newsroom day (`npm run bench -- --only=newsroom`): an archive of 10,000 long articles in
 * about 400 feeds, imported into local D1 with `npm run import`'s own code; then one simulated
 * day on the app with its real D1 store: 100 publishes, 20 edits, 3 deletions and 10 scheduled
 * articles appearing at their minute (the Cron Trigger run every simulated minute), while every
 * feed is polled in every format it is served in by a reader on a 15–60 minute interval that
 * honours Cache-Control and sends back the ETag and Last-Modified of its last answer. The same
 * day runs twice in one process, each from a copy of the imported database: feeds identified
 * by their own revisions (newswire now), and by one site-wide version (newswire before: any
 * write turned every feed over), kept here as a store decorator for the comparison. The clock
 * is the app's `clock` option, which a deployed Worker does not take; the edge cache is a map.
 */
import { randomUUID } from 'node:crypto'
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { mkdir, readFile, rename } from 'node:fs/promises'
import { join } from 'node:path'
import { readD1Migrations } from '@cloudflare/vitest-pool-workers'
import { Miniflare } from 'miniflare'
import { codeDigest, nameRecord, profileKeys, readCatalogFiles } from '../scripts/content-files'
import { importArchive, readSpool } from '../scripts/import-archive'
import { random } from '../scripts/newsroom'
import { type ArchiveSetup, renderArchiveBatch, scanArchive } from '../src/content/archive'
import { restrictHtml } from '../src/content/markdown'
import { type Catalog, findFeed, listFeeds, matchesFilter } from '../src/model/feeds'
import type { Article, FeedDefinition } from '../src/model/types'
import { renderAllFragments } from '../src/profiles/fragments'
import { feedFileUrl } from '../src/render/document'
import { formatsOf } from '../src/render/formats'
import { announceAppearances, CRON_PERIOD } from '../src/routes/announce'
import { createApp } from '../src/routes/app'
import { BundledStore } from '../src/store/bundled'
import { compileBundle } from '../src/store/compile'
import { D1Store, type SqlDatabase, type SqlStatement } from '../src/store/d1'
import { deleteArticle, writeArticle } from '../src/store/d1-write'
import type { ArticleStore, StoredArticle } from '../src/store/types'
import { installEdgeCache } from './edge-cache'
import { section } from './report'
import { newsroomContent } from './tree'

const WORK = join(process.cwd(), '.wrangler', 'bench-newsroom')
const DAY_START = Date.UTC(2026, 11, 1)
const DAY = 86_400_000
const MINUTE = 60_000
/** Today's articles: kept out of the archive, published (or scheduled) during the day. */
const TODAY = 110

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

/** Newswire before per-feed revisions: every feed's identity is the whole site's. */
class GlobalVersion implements ArticleStore {
  readonly #inner: ArticleStore
  readonly #site: FeedDefinition
  constructor(inner: ArticleStore, site: FeedDefinition) {
    this.#inner = inner
    this.#site = site
  }
  build = () => this.#inner.build()
  catalog = (now: number) => this.#inner.catalog(now)
  async state(feed: FeedDefinition, now: number) {
    const [own, site] = await Promise.all([
      this.#inner.state(feed, now),
      this.#inner.state(this.#site, now),
    ])
    return { ...own, revision: site.revision }
  }
  counts: ArticleStore['counts'] = (...args) => this.#inner.counts(...args)
  page: ArticleStore['page'] = (...args) => this.#inner.page(...args)
  items: ArticleStore['items'] = (...args) => this.#inner.items(...args)
  candidates: ArticleStore['candidates'] = (...args) => this.#inner.candidates(...args)
  article: ArticleStore['article'] = (...args) => this.#inner.article(...args)
  appeared: ArticleStore['appeared'] = (...args) => this.#inner.appeared(...args)
}

type Counted = SqlStatement & { inner: SqlStatement }

/** A database that counts the statements run on it, alone or in batches. */
function counted(db: SqlDatabase, counter: { statements: number }): SqlDatabase {
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

interface Reader {
  url: string
  feed: FeedDefinition
  interval: number
  due: number
  etag?: string | undefined
  lastModified?: string | undefined
  body?: string
}

interface Tally {
  label: string
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
        url: feedFileUrl(catalog.site.url, feed, format.file),
        feed,
        interval,
        due: DAY_START + next() * interval,
      }
    }),
  )
}

const encoder = new TextEncoder()

async function poll(app: ReturnType<typeof createApp>, reader: Reader, tally: Tally) {
  const headers: Record<string, string> = {}
  if (reader.etag) headers['if-none-match'] = reader.etag
  if (reader.lastModified) headers['if-modified-since'] = reader.lastModified
  const response = await app.request(reader.url, { headers })
  tally.polls += 1
  if (response.headers.get('x-cache') === 'MISS') tally.misses += 1
  const maxAge = Number(/max-age=(\d+)/.exec(response.headers.get('cache-control') ?? '')?.[1])
  if (maxAge < 300) tally.capped += 1
  // It honours Cache-Control: never back before max-age has run out.
  reader.due += Math.max(reader.interval, (Number.isNaN(maxAge) ? 0 : maxAge) * 1000)
  if (response.status === 304) {
    tally.notModified += 1
    return
  }
  const body = await response.text()
  if (response.status === 404) {
    // Its last article deleted, a tag feed is gone: the reader stops asking.
    tally.gone += 1
    reader.due = Number.POSITIVE_INFINITY
    return
  }
  if (response.status !== 200) throw new Error(`${reader.url}: ${response.status}`)
  const bytes = encoder.encode(body).byteLength
  tally.bytes += bytes
  // The least any design could send: a body only when the feed holds something new to this reader.
  if (body !== reader.body) tally.minimum += bytes
  reader.body = body
  reader.etag = response.headers.get('etag') ?? undefined
  reader.lastModified = response.headers.get('last-modified') ?? undefined
}

interface Archive {
  persist: string
  setup: ArchiveSetup
  today: StoredArticle[]
  /** The archive's newest articles, newest first: what editors edit and delete. */
  newest: StoredArticle[]
  spool: string
  imported: { seconds: number; renderSeconds: number; writeSeconds: number; articles: number }
}

async function d1At(persist: string) {
  const mf = new Miniflare({
    modules: true,
    script: 'export default { fetch() { return new Response(null) } }',
    d1Databases: { DB: 'newsroom' },
    d1Persist: persist,
  })
  return { mf, db: (await mf.getD1Database('DB')) as unknown as SqlDatabase }
}

// The archive: generated once, imported once into a local D1 kept for later runs of this code.
async function prepareArchive(size: number): Promise<Archive> {
  const root = await newsroomContent(join(WORK, `content-${size}`), {
    articles: size + TODAY,
    tags: 360,
    newest: DAY_START - 30 * MINUTE + TODAY * 25 * MINUTE,
    spacing: 25 * MINUTE,
  })
  const todayDir = join(WORK, `today-${size}`)
  if (!existsSync(todayDir)) {
    await mkdir(todayDir, { recursive: true })
    for (let i = 0; i < TODAY; i++)
      await rename(join(root, `content/articles/story-${i}.md`), join(todayDir, `story-${i}.md`))
  }
  const persist = join(WORK, `d1-${size}`)
  const record = join(WORK, `import-${size}.json`)
  const stamp = `${size}-${await codeDigest()}-${JSON.stringify(await readD1Migrations('migrations'))}`
  let imported: Archive['imported'] & { stamp: string; spool: string }
  if (existsSync(record) && JSON.parse(readFileSync(record, 'utf8')).stamp === stamp) {
    imported = JSON.parse(readFileSync(record, 'utf8'))
    console.log(`reusing the ${size.toLocaleString('en-US')}-article archive imported earlier`)
  } else {
    rmSync(persist, { recursive: true, force: true })
    rmSync(join(process.cwd(), '.wrangler/import'), { recursive: true, force: true })
    const { mf, db } = await d1At(persist)
    for (const migration of await readD1Migrations('migrations'))
      for (const query of migration.queries) await db.prepare(query).run()
    const report = await importArchive({ root, db, now: DAY_START })
    await mf.dispose()
    imported = {
      stamp,
      spool: report.spool,
      articles: report.articles,
      seconds: (report.checkMs + report.renderMs + report.writeMs) / 1000,
      renderSeconds: report.renderMs / 1000,
      writeSeconds: report.writeMs / 1000,
    }
    writeFileSync(record, JSON.stringify(imported))
  }
  const { files, articles: paths } = await readCatalogFiles(root)
  const { setup } = await scanArchive(files, paths, (path) => readFile(join(root, path)), {
    now: DAY_START,
  })
  const todayFiles = await Promise.all(
    Array.from(
      { length: TODAY },
      async (_, i): Promise<[string, Uint8Array]> => [
        `content/articles/story-${i}.md`,
        await readFile(join(todayDir, `story-${i}.md`)),
      ],
    ),
  )
  const newest: StoredArticle[] = []
  for await (const article of readSpool(imported.spool))
    if (Date.parse(article.published) > DAY_START - 300 * 25 * MINUTE) newest.push(article)
  newest.sort((a, b) => (a.published < b.published ? 1 : -1))
  return {
    persist,
    setup,
    today: renderArchiveBatch(todayFiles, setup).stored,
    newest,
    spool: imported.spool,
    imported,
  }
}

async function runDay(archive: Archive, events: Event[], global: boolean, quick: boolean) {
  const label = global ? 'one site-wide version (before)' : 'a revision per feed (now)'
  const persist = join(WORK, `day-${global ? 'global' : 'feeds'}`)
  rmSync(persist, { recursive: true, force: true })
  cpSync(archive.persist, persist, { recursive: true })
  const { mf, db: raw } = await d1At(persist)
  const counter = { statements: 0 }
  const db = counted(raw, counter)
  const catalog = {
    ...archive.setup.catalog,
    site: { ...archive.setup.catalog.site, hub: 'https://hub.test/' },
  }
  const d1 = new D1Store(db, { ...catalog, tags: [] }, { build: 'bench' })
  const site = findFeed(catalog, '') as FeedDefinition
  const store: ArticleStore = global ? new GlobalVersion(d1, site) : d1
  let now = DAY_START
  installEdgeCache()
  const app = createApp(() => store, { clock: () => now })
  const tally: Tally = {
    label,
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
  }
  const topics: string[] = []
  const cron = announceAppearances(() => d1, {
    fetch: async (_hub, init) => {
      tally.pings += 1
      topics.push(...new URLSearchParams(String(init?.body)).getAll('hub.url'))
      return new Response(null, { status: 204 })
    },
    log: () => undefined,
  })
  const readers = readersOf({ ...catalog, tags: (await d1.catalog(DAY_START)).tags }, quick)
  const recent = [...archive.newest]
  const started = performance.now()
  let event = 0
  let nextCron = DAY_START + CRON_PERIOD
  for (;;) {
    const reader = readers.reduce<Reader | undefined>(
      (soonest, r) => (!soonest || r.due < soonest.due ? r : soonest),
      undefined,
    )
    const pending = events[event]
    now = Math.min(reader?.due ?? Infinity, pending?.at ?? Infinity, nextCron)
    if (now >= DAY_START + DAY) break
    if (now === nextCron) {
      await cron({ scheduledTime: now }, {}, { waitUntil: (promise) => void promise })
      nextCron += CRON_PERIOD
    } else if (pending && now === pending.at) {
      event += 1
      await apply(pending, raw, catalog, recent, now)
      d1.forget()
    } else if (reader) {
      const before = counter.statements
      await poll(app, reader, tally)
      tally.statements += counter.statements - before
    }
  }
  tally.ms = performance.now() - started
  tally.pinged = topics.length
  await mf.dispose()
  return { tally, topics }
}

// A write of the day, as the publish API makes it.
async function apply(
  event: Event,
  db: SqlDatabase,
  catalog: Catalog,
  recent: StoredArticle[],
  now: number,
): Promise<void> {
  const version = randomUUID()
  if ('article' in event) {
    await writeArticle(db, { article: event.article, version, now })
    recent.unshift(event.article)
    return
  }
  const visible = recent.filter((a) => Date.parse(a.published) <= now)
  const target = visible[Math.floor(event.pick * Math.min(visible.length, 200))] as StoredArticle
  const index = recent.indexOf(target)
  if (event.kind === 'delete') {
    await deleteArticle(db, { id: target.id, version, now })
    recent.splice(index, 1)
    return
  }
  const edited: Article = {
    ...target,
    title: `${target.title} (updated)`,
    updated: new Date(now).toISOString(),
  }
  const stored = { ...edited, fragments: renderAllFragments(edited, catalog, restrictHtml) }
  await writeArticle(db, { article: stored, version, now })
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
  const fresh = archive.today[0] as StoredArticle
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

const count = (n: number) => Math.round(n).toLocaleString('en-US')
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`

/** Runs the newsroom day; returns bytes over the minimum (new) and the baseline's bytes ÷ new. */
export async function benchNewsroom(
  quick: boolean,
): Promise<{ overMinimum: number; fewer: number }> {
  const size = quick ? 2_000 : 10_000
  const archive = await prepareArchive(size)
  const events = script(archive.today, archive.setup.catalog)
  const perFeed = await runDay(archive, events, false, quick)
  const global = await runDay(archive, events, true, quick)
  const bundled = await redeploy(archive)
  const appeared = events.filter((e) => e.kind === 'schedule') as { article: StoredArticle }[]
  const expectedTopics = new Set(
    appeared.flatMap(({ article }) =>
      listFeeds(archive.setup.catalog)
        .filter((feed) => matchesFilter(article, feed.filter))
        .flatMap((feed) =>
          formatsOf(feed).map((f) => feedFileUrl(archive.setup.catalog.site.url, feed, f.file)),
        ),
    ),
  )
  const rows = [perFeed.tally, global.tally].map(
    (t) =>
      `| ${t.label} | ${count(t.polls)} | ${((t.notModified / t.polls) * 100).toFixed(1)}% | ${mb(t.bytes)} | ${mb(t.minimum)} | ${(t.bytes / t.minimum).toFixed(3)}× | ${count((t.statements * 1000) / t.polls)} | ${count((t.misses * 1000) / t.polls)} | ${(t.ms / 1000).toFixed(0)} s |`,
  )
  const fewer = global.tally.bytes / perFeed.tally.bytes
  const overMinimum = perFeed.tally.bytes / perFeed.tally.minimum
  const { imported } = archive
  section(
    [
      `### A newsroom day: ${count(size)} articles, ${count(listFeeds(archive.setup.catalog).length)} feeds, D1 store`,
      '',
      `${count(events.filter((e) => e.kind === 'publish').length)} publishes, ${count(events.filter((e) => e.kind === 'edit').length)} edits, ${count(events.filter((e) => e.kind === 'delete').length)} deletions and ${appeared.length} scheduled appearances over one simulated day; ${count(perFeed.tally.polls)} polls by readers of every feed${quick ? ' (one format each)' : ' in every format'} on 15–60 minute intervals, each sending the ETag and Last-Modified of its last answer. Bytes are response bodies; the minimum is a body only when the reader had not seen those bytes. Statements are D1 statements run for polls (state reads and renders), cache misses the polls no cache layer answered.`,
      '',
      '| feed identity | polls | answered 304 | bytes sent | minimum | sent ÷ minimum | D1 statements per 1,000 polls | cache misses per 1,000 polls | wall time |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
      `Per-feed revisions send ${fewer.toFixed(1)}× fewer bytes than the site-wide version, within ${overMinimum.toFixed(3)}× of the minimum. Polls answered with a freshness capped by a scheduled article: ${count(perFeed.tally.capped)}. WebSub: ${perFeed.tally.pings} hub pings for ${appeared.length} appearances, ${count(perFeed.topics.length)} feed URLs (${count(new Set(perFeed.topics).size)} distinct; ${[...expectedTopics].every((t) => perFeed.topics.includes(t)) && perFeed.topics.length === expectedTopics.size ? 'exactly the feeds of the appeared articles, once each' : 'NOT exactly the feeds of the appeared articles'}).`,
      '',
      `Import of the archive (\`npm run import\`'s code into local D1): ${count(imported.articles)} articles in ${imported.seconds.toFixed(0)} s (rendered in ${imported.renderSeconds.toFixed(0)} s on every core, written in ${imported.writeSeconds.toFixed(0)} s${imported.renderSeconds < 1 ? ', an earlier rendering reused' : ''}).`,
      '',
      `Bundled store, the same archive: a build with one more article turns over ${bundled.changed} of ${bundled.feeds} feeds; the article is in ${bundled.holding} (index compiled in ${bundled.seconds.toFixed(1)} s).`,
      '',
    ].join('\n'),
  )
  return { overMinimum, fewer }
}
