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
  'meta ORDER BY key',
]

async function dump(): Promise<unknown[]> {
  return Promise.all(
    TABLES.map(async (table) => (await DB.prepare(`SELECT * FROM ${table}`).all()).results),
  )
}

describe('npm run import', () => {
  it('loads content with exact statistics, and importing it again changes nothing', async () => {
    const catalog = contractCatalog()
    const bundle = compileBundle(
      catalog,
      contractArticles(),
      (a) => renderFragments(a, catalog.site.url),
      'v1',
    )
    const sql = (await importStatements(bundle)).join('\n')
    await DB.exec(sql)
    const first = await dump()
    await DB.exec(sql)
    expect(await dump()).toEqual(first)
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
