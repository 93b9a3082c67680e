/**
 * D1: what a cache miss costs when articles live in D1, from archives of 10k and 100k articles
 * in workerd's local D1 (SQLite), through the Worker's own route with its caches missed
 * (bench/route-miss.ts). The database is filled once per size with the statements
 * `npm run import` runs.
 */
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { readD1Migrations } from '@cloudflare/vitest-pool-workers'
import { Miniflare } from 'miniflare'
import { Bench } from 'tinybench'
import { corpusCatalog, generateArticles } from '../scripts/corpus'
import { renderFragments } from '../src/render/formats'
import { D1Store, type SqlDatabase } from '../src/store/d1'
import { importArticles } from '../src/store/d1-import'
import type { StoredArticle } from '../src/store/types'
import { type Row, rowsOf, table } from './report'
import { routeMiss } from './route-miss'

const SIZES = [10_000, 100_000]
const CHUNK = 1000
const NOW = Date.UTC(2026, 10, 2)

// Through the import's own path: bound statements, whole articles per batch.
async function fill(db: D1Database, size: number, stamp: string): Promise<void> {
  const catalog = corpusCatalog()
  for (let start = 0; start < size; start += CHUNK) {
    const articles = generateArticles(Math.min(CHUNK, size - start), 1000 + start, catalog).map(
      (a, i): StoredArticle => {
        const article = {
          ...a,
          id: `urn:uuid:00000000-0000-4000-8000-${String(start + i).padStart(12, '0')}`,
          slug: `story-${start + i}`,
        }
        return { ...article, fragments: renderFragments(article, catalog.site.url) }
      },
    )
    await importArticles(db as unknown as SqlDatabase, each(articles), { now: NOW, run: stamp })
  }
  await db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('bench', ?)").bind(stamp).run()
}

async function* each<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item
}

async function schemaDigest(): Promise<string> {
  const migrations = await readD1Migrations('migrations')
  return createHash('sha256').update(JSON.stringify(migrations)).digest('hex').slice(0, 12)
}

async function reset(db: D1Database): Promise<void> {
  const { results } = await db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
    )
    .all<{ name: string }>()
  for (const { name } of results) await db.prepare(`DROP TABLE IF EXISTS "${name}"`).run()
}

// The same splitting of migrations/ into statements as wrangler's and the test pool's.
async function migrate(db: D1Database): Promise<void> {
  for (const migration of await readD1Migrations('migrations')) {
    for (const query of migration.queries) await db.prepare(query).run()
  }
}

/** Runs the D1 benchmark; returns the row of the newest 50 of a category, per size. */
export async function benchD1(time: number): Promise<Record<number, Row>> {
  // Filling 100k articles takes minutes; the databases are kept between runs, keyed by the
  // schema, and rebuilt when migrations/ changes.
  const persist = join('.wrangler', 'bench-d1')
  const bench = new Bench({ time, warmup: true, warmupTime: 300 })
  const minis: Miniflare[] = []
  let sink = 0
  try {
    for (const size of SIZES) {
      const mf = new Miniflare({
        modules: true,
        script: 'export default { fetch() { return new Response(null) } }',
        d1Databases: { DB: `bench-${size}` },
        d1Persist: persist,
      })
      minis.push(mf)
      const db = await mf.getD1Database('DB')
      const stamp = `bench-${size}-${await schemaDigest()}`
      const current = await db
        .prepare("SELECT value FROM meta WHERE key = 'bench'")
        .first<{ value: string }>()
        .catch(() => null)
      if (current?.value === stamp) {
        console.log(`reusing the ${size.toLocaleString('en-US')}-article D1 database in ${persist}`)
      } else {
        const started = performance.now()
        await reset(db)
        await migrate(db)
        await fill(db, size, stamp)
        const seconds = ((performance.now() - started) / 1000).toFixed(1)
        console.log(`filled a ${size.toLocaleString('en-US')}-article D1 database in ${seconds} s`)
      }
      const store = new D1Store(
        db as unknown as SqlDatabase,
        { ...corpusCatalog(), tags: [] },
        { ttl: 0 },
      )
      const miss = routeMiss(store, NOW, 'https://bench.test')
      for (const [label, path, status] of [
        ['newest 50 of a category', '/categories/section-7/rss.xml', 200],
        ['newest 50 of the site', '/rss.xml', 200],
        ['page 40 of the site (offset 1,950)', '/rss.xml?page=40', 200],
        // Past the end the route answers 404 once the page query comes back empty.
        ['an offset past the end of a category', '/categories/section-7/rss.xml?page=200001', 404],
      ] as const) {
        await miss(path, status)
        bench.add(`${size.toLocaleString('en-US')} articles: ${label}`, async () => {
          sink += (await miss(path, status)) + 1
        })
      }
    }
    await bench.run()
    const rows = rowsOf(bench)
    if (sink === 0) throw new Error('nothing rendered')
    const base = rows[0]
    table(
      'D1: a cache miss through the route (catalog, state query, page query, RSS render) in local D1',
      rows,
      () => base,
      'ratio = the 10k category median ÷ this median. Each query crosses from Node into workerd, as a Worker request would not; treat the absolute times as an upper bound.',
    )
    return Object.fromEntries(
      SIZES.map((size, i) => {
        const row = rows[i * 4]
        if (!row) throw new Error(`no row for ${size} articles`)
        return [size, row]
      }),
    )
  } finally {
    await Promise.all(minis.map((mf) => mf.dispose()))
  }
}
