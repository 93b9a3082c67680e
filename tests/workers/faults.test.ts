import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { FeedDefinition } from '../../src/model/types'
import { createApp } from '../../src/routes/app'
import { delegateStore } from '../../src/store/delegate'
import type { ArticleStore } from '../../src/store/types'
import { shippedStore } from './shipped-store'

const ORIGIN = 'http://127.0.0.1:8787'

/** The bundled store, made to fail on demand as a D1 database that is unavailable would. */
function flakyStore(): ArticleStore & { broken: boolean | string } {
  const inner = shippedStore()
  const check = (feed?: FeedDefinition) => {
    if (store.broken === true || (feed && store.broken === feed.path))
      throw new Error('D1_ERROR: database unavailable')
  }
  // broken: true, every call fails; a feed path, only queries of that feed fail.
  const store = Object.assign(
    delegateStore(inner, {
      catalog: async (...args) => {
        check()
        return inner.catalog(...args)
      },
      state: async (...args) => {
        check(args[0])
        return inner.state(...args)
      },
      counts: async (...args) => {
        check()
        return inner.counts(...args)
      },
      busiest: async (...args) => {
        check()
        return inner.busiest(...args)
      },
      page: async (...args) => {
        check(args[0])
        return inner.page(...args)
      },
      listing: async (...args) => {
        check()
        return inner.listing(...args)
      },
      items: async (...args) => {
        check(args[0])
        return inner.items(...args)
      },
      candidates: async (...args) => {
        check(args[0])
        return inner.candidates(...args)
      },
      article: async (...args) => {
        check()
        return inner.article(...args)
      },
      appeared: async (...args) => {
        check()
        return inner.appeared(...args)
      },
    }),
    { broken: false as boolean | string },
  )
  return store
}

async function fetchFrom(app: ReturnType<typeof createApp>, path: string) {
  const ctx = createExecutionContext()
  const response = await app.fetch(new Request(`${ORIGIN}${path}`), {}, ctx)
  const body = await response.text()
  await waitOnExecutionContext(ctx)
  return { response, body }
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('when the store fails', () => {
  it('answers from this isolate with the last good copy, marked STALE', async () => {
    const store = flakyStore()
    const app = createApp(() => store)
    const good = await fetchFrom(app, '/tags/apt40/rss.xml')
    store.broken = true
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const stale = await fetchFrom(app, '/tags/apt40/rss.xml')
    expect(stale.response.status).toBe(200)
    expect(stale.response.headers.get('x-cache')).toBe('STALE')
    expect(stale.body).toBe(good.body)
    expect(stale.response.headers.get('etag')).toBe(good.response.headers.get('etag'))
    expect(errors).toHaveBeenCalledTimes(1)
    expect(String(errors.mock.calls[0]?.[0])).toContain('D1_ERROR: database unavailable')
  })

  it('answers a URL with a tracking query from the copy of the URL without it', async () => {
    const store = flakyStore()
    const app = createApp(() => store)
    const good = await fetchFrom(app, '/tags/apt40/atom.xml')
    store.broken = true
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const stale = await fetchFrom(app, '/tags/apt40/atom.xml?utm_source=newsletter')
    expect(stale.response.headers.get('x-cache')).toBe('STALE')
    expect(stale.body).toBe(good.body)
    // A query that selects another document never gets this one.
    const paged = await fetchFrom(app, '/tags/apt40/atom.xml?page=2')
    expect(paged.response.status).toBe(503)
  })

  it('answers from the edge cache when this isolate has no copy', async () => {
    const store = flakyStore()
    const good = await fetchFrom(
      createApp(() => store),
      '/tags/hafnium/atom.xml',
    )
    store.broken = true
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const stale = await fetchFrom(
      createApp(() => store),
      '/tags/hafnium/atom.xml',
    )
    expect(stale.response.status).toBe(200)
    expect(stale.response.headers.get('x-cache')).toBe('STALE')
    expect(stale.body).toBe(good.body)
  })

  it('answers 503 with Retry-After, a short message and no stack when there is no copy', async () => {
    const store = flakyStore()
    store.broken = true
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const { response, body } = await fetchFrom(
      createApp(() => store),
      '/categories/microsoft/feed.json',
    )
    expect(response.status).toBe(503)
    expect(response.headers.get('retry-after')).toBe('30')
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(body).toBe('temporarily unavailable; try again shortly\n')
  })

  it('takes down only the feed whose queries fail', async () => {
    const store = flakyStore()
    store.broken = 'tags/china'
    const app = createApp(() => store)
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    expect((await fetchFrom(app, '/tags/china/rss.xml')).response.status).toBe(503)
    for (const path of [
      '/rss.xml',
      '/tags/exchange/atom.xml',
      '/categories/security/',
      '/feeds.opml',
    ]) {
      expect((await fetchFrom(app, path)).response.status, path).toBe(200)
    }
    store.broken = false
    expect((await fetchFrom(app, '/tags/china/rss.xml')).response.status).toBe(200)
  })
})
