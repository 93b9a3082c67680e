import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApi } from '../../src/routes/api'
import { createApp } from '../../src/routes/app'
import { D1Store } from '../../src/store/d1'
import { contractCatalog } from '../helpers/catalog'
import { API_TOKEN } from '../helpers/tokens'

const bindings = env as unknown as { DB: D1Database; FEDERATION: D1Database }
const store = new D1Store(bindings.DB, { ...contractCatalog(), tags: [] }, { ttl: 0 })
const app = createApp(() => store, { api: createApi() })
const ID = 'urn:uuid:fed00000-0000-4000-8000-000000000001'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('the Workers test pool: federation', () => {
  it('federates a publish in the background with no error logged', async () => {
    const errors = vi.spyOn(console, 'error')
    const ctx = createExecutionContext()
    const response = await app.fetch(
      new Request(`https://news.test/api/articles/${ID}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          slug: 'pool-federates',
          title: 'The pool federates',
          summary: 'A publish reaches the federation database.',
          author: 'ada-lovelace',
          published: '2026-03-02T10:00:00Z',
          categories: ['science'],
          tags: [],
          body: 'Body.',
        }),
      }),
      env,
      ctx,
    )
    expect(response.status).toBe(201)
    await waitOnExecutionContext(ctx)
    expect(errors).not.toHaveBeenCalled()
    // The Create's planning records the object, so its id can answer (or later 410).
    const row = await bindings.FEDERATION.prepare(
      'SELECT slug, deleted_at FROM objects WHERE article_id = ?',
    )
      .bind(ID)
      .first<{ slug: string; deleted_at: number | null }>()
    expect(row).toEqual({ slug: 'pool-federates', deleted_at: null })
  })
})
