import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Catalog } from '../../src/model/feeds'
import { createApp } from '../../src/routes/app'
import { D1Store, type SqlDatabase } from '../../src/store/d1'
import { writeArticle } from '../../src/store/d1-write'
import { makeArticle, makeTag } from '../helpers/builders'
import { contractCatalog } from '../helpers/catalog'
import { storedOf } from '../helpers/stores'

const DB = (env as unknown as { DB: D1Database }).DB
const NOW = Date.parse('2026-03-02T00:00:00Z')
const base = contractCatalog()
const tags = Array.from({ length: 30 }, (_, i) => makeTag({ slug: `tag-${i}`, name: `Tag ${i}` }))
const catalog: Catalog = { ...base, tags }

// The database, remembering every statement prepared on it (alone or for a batch).
const prepared: string[] = []
const counting: SqlDatabase = {
  prepare: (query) => {
    prepared.push(query)
    return DB.prepare(query)
  },
  batch: (statements) => DB.batch(statements as D1PreparedStatement[]) as never,
}
const WHOLE_TABLE = 'SELECT kind, slug, count FROM feed_stats'
const wholeReads = () => prepared.filter((query) => query === WHOLE_TABLE).length

let now = NOW
const store = new D1Store(counting, { ...catalog, tags: [] }, { ttl: 0 })
const app = createApp(() => store, { clock: () => now })

async function get(path: string): Promise<string> {
  const ctx = createExecutionContext()
  const response = await app.fetch(new Request(`https://news.test${path}`), {}, ctx)
  const text = await response.text()
  await waitOnExecutionContext(ctx)
  expect(response.status, path).toBe(200)
  return text
}

async function publish(i: number, at: number): Promise<void> {
  const article = makeArticle({
    id: `urn:uuid:00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
    slug: `story-${i}`,
    published: new Date(at).toISOString(),
    updated: new Date(at).toISOString(),
    tags: [tags[i % tags.length] as (typeof tags)[number]],
  })
  const [stored] = storedOf(catalog, [article])
  if (!stored) throw new Error('no stored article')
  await writeArticle(DB, { article: stored, version: `v${i}`, now: at })
}

beforeAll(async () => {
  for (let i = 0; i < 45; i++) await publish(i, NOW - (i + 1) * 60_000)
})

describe('the lists on D1', () => {
  it('read feed_stats whole once per revision, however many queries', async () => {
    await get('/tags/')
    for (const q of ['tag', 'tag 1', 'tag 2', 'g 2', '9', 'none', 'a'])
      await get(`/tags/?${new URLSearchParams({ q })}`)
    await get('/tags/')
    expect(wholeReads()).toBe(1)
    // Tag 0 to 14 are on two articles each, 15 to 29 on one (45 articles over 30 tags).
    const html = await get(`/tags/?${new URLSearchParams({ q: 'tag 14' })}`)
    expect(html).toMatch(
      /<a href="\/tags\/tag-14\/">Tag 14<\/a><\/th><td class="count">2 articles<\/td>/,
    )
    // A publish is a new revision: the counts are read again, once, and show it.
    now += 60_000
    await publish(45, now - 1000)
    for (const q of ['tag 15', 'tag 16', 'tag 1']) await get(`/tags/?${new URLSearchParams({ q })}`)
    expect(wholeReads()).toBe(2)
    const after = await get(`/tags/?${new URLSearchParams({ q: 'tag 15' })}`)
    expect(after).toMatch(
      /<a href="\/tags\/tag-15\/">Tag 15<\/a><\/th><td class="count">2 articles<\/td>/,
    )
  })
})
