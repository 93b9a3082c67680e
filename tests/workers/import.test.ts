import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { listFeeds } from '../../src/model/feeds'
import { D1Store, type SqlDatabase, type SqlStatement } from '../../src/store/d1'
import { BATCH_ARTICLES, importArticles } from '../../src/store/d1-import'
import { writeArticle } from '../../src/store/d1-write'
import type { StoredArticle } from '../../src/store/types'
import { makeArticle } from '../helpers/builders'
import { contractArticles, contractCatalog } from '../helpers/catalog'
import { storedOf } from '../helpers/stores'

const DB = (env as unknown as { DB: D1Database }).DB
const NOW = Date.parse('2026-03-02T00:00:00Z')
const catalog = contractCatalog()
const TABLES = [
  'articles ORDER BY id',
  'fragments ORDER BY id, key',
  'memberships ORDER BY kind, slug, id',
  'feed_stats ORDER BY kind, slug',
  'tags ORDER BY slug',
  'scheduled ORDER BY id',
]

async function dump(): Promise<unknown[]> {
  return Promise.all(
    TABLES.map(async (table) => (await DB.prepare(`SELECT * FROM ${table}`).all()).results),
  )
}

async function* each<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item
}

async function clear(): Promise<void> {
  for (const table of ['articles', 'fragments', 'memberships', 'feed_stats', 'tags', 'scheduled'])
    await DB.prepare(`DELETE FROM ${table}`).run()
}

// A long article: hundreds of lines of lists, tables and code, and a body of 1.9 MB.
function longArticles(): StoredArticle[] {
  const lines = Array.from(
    { length: 400 },
    (_, i) =>
      `<li>Line ${i}: <code>Get-Item -Path C:\\\\logs\\\\${i}.txt</code> — “quoted” & done</li>`,
  )
  const table = `<table><tbody>${Array.from({ length: 300 }, (_, i) => `<tr><td>${i}</td><td>€${i}</td></tr>`).join('')}</tbody></table>`
  const huge = `<p>${'Live blog entry with a few words in it. '.repeat(47_500)}</p>`
  return storedOf(catalog, [
    makeArticle({ slug: 'many-lines', contentHtml: `<ul>${lines.join('\n')}</ul>${table}` }),
    makeArticle({ slug: 'live-blog', contentHtml: huge }),
  ])
}

/** A database that fails the batch after `fail` batches have gone through. */
function failingAfter(fail: number): SqlDatabase {
  let batches = 0
  return {
    prepare: (query) => DB.prepare(query) as unknown as SqlStatement,
    batch: async (statements) => {
      if (batches++ >= fail) throw new Error('D1_ERROR: Network connection lost.')
      return DB.batch(statements as unknown as D1PreparedStatement[]) as never
    },
  }
}

describe('npm run import into D1', () => {
  it('loads articles with exact statistics; importing them again writes nothing', async () => {
    await clear()
    const stored = storedOf(catalog, contractArticles())
    const once = await importArticles(DB, each(stored), { now: NOW, run: 'one' })
    expect(once).toEqual({ written: 12, unchanged: 0 })
    const first = await dump()
    const twice = await importArticles(DB, each(stored), { now: NOW, run: 'two' })
    expect(twice).toEqual({ written: 0, unchanged: 12 })
    expect(await dump()).toEqual(first)
    const stats = await DB.prepare(
      'SELECT kind, slug, count, updated FROM feed_stats ORDER BY kind, slug',
    ).all()
    const exact = await DB.prepare(
      'SELECT kind, slug, COUNT(*) AS count, MAX(updated) AS updated FROM memberships GROUP BY kind, slug ORDER BY kind, slug',
    ).all()
    expect(stats.results).toEqual(exact.results)
  })

  it('leaves the same rows as the publish API writing each article', async () => {
    await clear()
    const stored = storedOf(catalog, contractArticles())
    for (const article of [...stored].reverse())
      await writeArticle(DB, { article, version: 'api', now: NOW })
    const written = await dump()
    await clear()
    await importArticles(DB, each(stored), { now: NOW, run: 'bulk' })
    const withoutRevisions = (tables: unknown[]) =>
      tables.map((rows, i) =>
        i === 3 ? (rows as { revision: string }[]).map(({ revision: _, ...row }) => row) : rows,
      )
    expect(withoutRevisions(await dump())).toEqual(withoutRevisions(written))
  })

  it('stores long articles whole: hundreds of lines, and one of 1.9 MB', async () => {
    await clear()
    const long = longArticles()
    expect(new TextEncoder().encode(long[1]?.contentHtml).byteLength).toBeGreaterThan(1_900_000)
    await importArticles(DB, each(long), { now: NOW, run: 'long' })
    const store = new D1Store(DB, { ...catalog, tags: [] }, { ttl: 0 })
    const site = listFeeds(catalog)[0]
    if (!site) throw new Error('no site feed')
    const { items } = await store.items(site, 0, 10, 'rss', NOW)
    // Same instant: newest first by id, descending.
    const inOrder = [...long].sort((a, b) => (a.id < b.id ? 1 : -1))
    expect(items.map((i) => i.fragment)).toEqual(inOrder.map((a) => a.fragments.rss))
    const read = await (await store.article('live-blog', NOW))?.read()
    expect(read?.contentHtml).toBe(long[1]?.contentHtml)
  })

  it('finishes after a failure on a rerun, with the same rows as an import that never failed', async () => {
    await clear()
    const stored = storedOf(
      catalog,
      Array.from({ length: BATCH_ARTICLES * 3 + 7 }, (_, i) =>
        makeArticle({ slug: `bulk-${i}`, published: new Date(NOW - i * 60_000).toISOString() }),
      ),
    )
    await importArticles(DB, each(stored), { now: NOW, run: 'clean' })
    const clean = await dump()
    await clear()
    await expect(
      importArticles(failingAfter(2), each(stored), { now: NOW, run: 'crash' }),
    ).rejects.toThrow(/Network connection lost/)
    // Whole batches only: every article stored is complete, with all its memberships.
    const partial = await DB.prepare(
      'SELECT (SELECT COUNT(*) FROM articles) AS articles, (SELECT COUNT(DISTINCT id) FROM memberships) AS members',
    ).first<{ articles: number; members: number }>()
    expect(partial).toEqual({ articles: BATCH_ARTICLES * 2, members: BATCH_ARTICLES * 2 })
    const resumed = await importArticles(DB, each(stored), { now: NOW, run: 'resume' })
    expect(resumed).toEqual({ written: BATCH_ARTICLES + 7, unchanged: BATCH_ARTICLES * 2 })
    const after = await dump()
    // Revisions name the run that wrote them; everything else is the same.
    const withoutRevisions = (tables: unknown[]) =>
      tables.map((rows, i) =>
        i === 3 ? (rows as { revision: string }[]).map(({ revision: _, ...row }) => row) : rows,
      )
    expect(withoutRevisions(after)).toEqual(withoutRevisions(clean))
  })
})
