import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { FeedDefinition } from '../../src/model/types'
import { createApp } from '../../src/routes/app'
import type { ArticleStore } from '../../src/store/types'
import { shippedStore } from './shipped-store'

const ORIGIN = 'http://127.0.0.1:8787'

/** The bundled store, made to fail on demand as a D1 database that is unavailable would. */
class FlakyStore implements ArticleStore {
  /** true: every call fails; a feed path: only queries of that feed fail. */
  broken: boolean | string = false
  readonly #inner = shippedStore()
  #check(feed?: FeedDefinition) {
    if (this.broken === true || (feed && this.broken === feed.path))
      throw new Error('D1_ERROR: database unavailable')
  }
  build() {
    return this.#inner.build()
  }
  async catalog(now: number) {
    this.#check()
    return this.#inner.catalog(now)
  }
  async state(...args: Parameters<ArticleStore['state']>) {
    this.#check(args[0])
    return this.#inner.state(...args)
  }
  nextAppearance(now: number) {
    return this.#inner.nextAppearance(now)
  }
  async counts(...args: Parameters<ArticleStore['counts']>) {
    this.#check()
    return this.#inner.counts(...args)
  }
  async busiest(...args: Parameters<ArticleStore['busiest']>) {
    this.#check()
    return this.#inner.busiest(...args)
  }
  async page(...args: Parameters<ArticleStore['page']>) {
    this.#check(args[0])
    return this.#inner.page(...args)
  }
  async listing(...args: Parameters<ArticleStore['listing']>) {
    this.#check()
    return this.#inner.listing(...args)
  }
  async items(...args: Parameters<ArticleStore['items']>) {
    this.#check(args[0])
    return this.#inner.items(...args)
  }
  async candidates(...args: Parameters<ArticleStore['candidates']>) {
    this.#check(args[0])
    return this.#inner.candidates(...args)
  }
  async article(...args: Parameters<ArticleStore['article']>) {
    this.#check()
    return this.#inner.article(...args)
  }
  async appeared(...args: Parameters<ArticleStore['appeared']>) {
    this.#check()
    return this.#inner.appeared(...args)
  }
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
    const store = new FlakyStore()
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
    const store = new FlakyStore()
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
    const store = new FlakyStore()
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
    const store = new FlakyStore()
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
    const store = new FlakyStore()
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
