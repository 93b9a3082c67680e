import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { importStatements } from '../../scripts/import-sql'
import { renderFragments } from '../../src/render/formats'
import { compileBundle } from '../../src/store/compile'
import { contractArticles, contractCatalog } from '../helpers/catalog'

const DB = (env as unknown as { DB: D1Database }).DB
const TABLES = [
  'articles ORDER BY id',
  'memberships ORDER BY kind, slug, id',
  'feed_stats ORDER BY kind, slug',
  'tags ORDER BY slug',
]

async function version(): Promise<string | undefined> {
  const row = await DB.prepare("SELECT value FROM meta WHERE key = 'version'").first<{
    value: string
  }>()
  return row?.value
}

async function dump(): Promise<unknown[]> {
  return Promise.all(
    TABLES.map(async (table) => (await DB.prepare(`SELECT * FROM ${table}`).all()).results),
  )
}

describe('npm run import', () => {
  it('loads content with exact statistics; importing it again changes no row but the version', async () => {
    const catalog = contractCatalog()
    const bundle = compileBundle(
      catalog,
      contractArticles(),
      (a) => renderFragments(a, catalog.site.url),
      'v1',
    )
    const once = await importStatements(bundle)
    await DB.exec(once.statements.join('\n'))
    const first = await dump()
    expect(await version()).toBe(once.version)
    const twice = await importStatements(bundle)
    await DB.exec(twice.statements.join('\n'))
    expect(await dump()).toEqual(first)
    // Every run is a new version, so no cache can take one run's documents for another's.
    expect(twice.version).not.toBe(once.version)
    expect(await version()).toBe(twice.version)
    const stats = await DB.prepare(
      'SELECT kind, slug, count, updated FROM feed_stats ORDER BY kind, slug',
    ).all()
    const exact = await DB.prepare(
      'SELECT kind, slug, COUNT(*) AS count, MAX(updated) AS updated FROM memberships GROUP BY kind, slug ORDER BY kind, slug',
    ).all()
    expect(stats.results).toEqual(exact.results)
    expect((await DB.prepare('SELECT COUNT(*) AS n FROM articles').first<{ n: number }>())?.n).toBe(
      12,
    )
  })
})
