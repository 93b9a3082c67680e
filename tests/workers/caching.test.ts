import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/routes/app'
import { delegateStore } from '../../src/store/delegate'
import type { ArticleStore } from '../../src/store/types'
import { shippedStore } from './shipped-store'

const ORIGIN = 'http://127.0.0.1:8787'

function get(
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<Response> {
  return exports.default.fetch(
    new Request(`${ORIGIN}${path}`, { headers, method, redirect: 'manual' }),
  )
}

async function validators(path: string) {
  const response = await get(path)
  await response.arrayBuffer()
  return {
    etag: response.headers.get('etag') as string,
    lastModified: response.headers.get('last-modified') as string,
  }
}

describe('conditional requests (RFC 9110 §13)', () => {
  const path = '/categories/security/atom.xml'

  it('answers a matching If-None-Match with 304, no body, and the cache headers of a 200', async () => {
    const { etag, lastModified } = await validators(path)
    const response = await get(path, { 'If-None-Match': etag })
    expect(response.status).toBe(304)
    expect(await response.text()).toBe('')
    expect(response.headers.get('etag')).toBe(etag)
    expect(response.headers.get('last-modified')).toBe(lastModified)
    expect(response.headers.get('cache-control')).toBe(
      'public, max-age=300, stale-while-revalidate=600, stale-if-error=86400',
    )
    expect(response.headers.get('vary')).toBe('Accept-Encoding')
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
  })

  it.each([
    ['the weak form of the tag', (etag: string) => `W/${etag}`],
    ['a list holding the tag', (etag: string) => `"nope", W/"other",${etag} , "x"`],
    ['*', () => '*'],
  ])('If-None-Match with %s is 304 (weak comparison)', async (_name, field) => {
    const { etag } = await validators(path)
    expect((await get(path, { 'If-None-Match': field(etag) })).status).toBe(304)
  })

  it.each([
    ['another tag', '"something-else"'],
    ['a list without the tag', '"a", W/"b"'],
    ['an unquoted (malformed) tag', 'abc'],
    ['garbage', '",,,'],
    ['an empty value', ''],
  ])('If-None-Match with %s is 200', async (_name, field) => {
    const response = await get(path, { 'If-None-Match': field })
    expect(response.status).toBe(200)
    await response.arrayBuffer()
  })

  it.each([
    ['equal to Last-Modified', 304, 0],
    ['after Last-Modified', 304, 86_400_000],
    ['before Last-Modified', 200, -1000],
  ])('If-Modified-Since %s answers %i', async (_name, status, shift) => {
    const { lastModified } = await validators(path)
    const since = new Date(Date.parse(lastModified) + shift).toUTCString()
    const response = await get(path, { 'If-Modified-Since': since })
    expect(response.status).toBe(status)
    await response.arrayBuffer()
  })

  it.each([
    'yesterday',
    'Mon, 32 Jul 2099 00:00:00 GMT',
    '2099-01-01',
    'Mon, 19 Jul 2099 12:00:00 GMT, Tue, 20 Jul 2099 12:00:00 GMT',
  ])('ignores an If-Modified-Since that is not one HTTP-date: %s', async (since) => {
    const response = await get(path, { 'If-Modified-Since': since })
    expect(response.status).toBe(200)
    await response.arrayBuffer()
  })

  it('accepts the obsolete RFC 850 and asctime date forms', async () => {
    expect(
      (await get(path, { 'If-Modified-Since': 'Sunday, 06-Nov-33 08:49:37 GMT' })).status,
    ).toBe(304)
    expect((await get(path, { 'If-Modified-Since': 'Sun Nov  6 08:49:37 2033' })).status).toBe(304)
  })

  it('ignores If-Modified-Since beside a malformed If-None-Match (RFC 9110 §13.1.3)', async () => {
    const future = 'Fri, 01 Jan 2100 00:00:00 GMT'
    const response = await get(path, { 'If-None-Match': 'abc', 'If-Modified-Since': future })
    expect(response.status).toBe(200)
    await response.arrayBuffer()
  })

  it('lets If-None-Match win over If-Modified-Since, both ways', async () => {
    const { etag, lastModified } = await validators(path)
    const future = 'Fri, 01 Jan 2100 00:00:00 GMT'
    const response = await get(path, { 'If-None-Match': '"stale"', 'If-Modified-Since': future })
    expect(response.status).toBe(200)
    await response.arrayBuffer()
    const past = new Date(Date.parse(lastModified) - 1000).toUTCString()
    expect((await get(path, { 'If-None-Match': etag, 'If-Modified-Since': past })).status).toBe(304)
  })

  it('answers a conditional HEAD like a conditional GET', async () => {
    const { etag } = await validators(path)
    const response = await get(path, { 'If-None-Match': etag }, 'HEAD')
    expect(response.status).toBe(304)
    expect(response.headers.get('etag')).toBe(etag)
  })

  it('gives pages and OPML validators and 304s too', async () => {
    for (const page of ['/', '/categories/security/', '/feeds.opml']) {
      const { etag, lastModified } = await validators(page)
      expect(etag, page).toMatch(/^"[^"]+"$/)
      expect(lastModified, page).toBe('Mon, 19 Jul 2021 12:00:00 GMT')
      expect((await get(page, { 'If-None-Match': etag })).status, page).toBe(304)
    }
  })
})

describe('query normalisation', () => {
  it('keeps one representation per view: other spellings redirect before any cache or store', async () => {
    const variants = [
      '/rss.xml?limit=5&page=1',
      '/rss.xml?page=1&limit=5&utm_source=x',
      '/rss.xml?utm_medium=feed&limit=5',
    ]
    for (const variant of variants) {
      const response = await get(variant)
      expect(response.status, variant).toBe(301)
      expect(response.headers.get('location')).toBe(`${ORIGIN}/rss.xml?limit=5`)
    }
  })
})

/** A store whose revisions can change, counting the reads that render (not the states). */
function countingStore(): ArticleStore & { queries: number; revisionSuffix: string } {
  const inner = shippedStore()
  const count = () => {
    counted.queries += 1
  }
  const counted: ArticleStore & { queries: number; revisionSuffix: string } = Object.assign(
    delegateStore(inner, {
      state: async (...args) => {
        const state = await inner.state(...args)
        return { ...state, revision: `${state.revision}${counted.revisionSuffix}` }
      },
      page: (...args) => {
        count()
        return inner.page(...args)
      },
      items: (...args) => {
        count()
        return inner.items(...args)
      },
      candidates: (...args) => {
        count()
        return inner.candidates(...args)
      },
    }),
    { queries: 0, revisionSuffix: '' },
  )
  return counted
}

async function fetchFrom(
  app: ReturnType<typeof createApp>,
  path: string,
  headers: Record<string, string> = {},
) {
  const ctx = createExecutionContext()
  const response = await app.fetch(new Request(`${ORIGIN}${path}`, { headers }), {}, ctx)
  const body = await response.text()
  await waitOnExecutionContext(ctx)
  return { response, body }
}

describe('cache layers', () => {
  it('misses, then hits in the isolate, then at the edge from a fresh isolate, never querying the store on a hit', async () => {
    const store = countingStore()
    const first = await fetchFrom(
      createApp(() => store),
      '/tags/apt40/rss.xml',
    )
    expect(first.response.headers.get('x-cache')).toBe('MISS')
    expect(store.queries).toBe(1)

    const app = createApp(() => store)
    const atEdge = await fetchFrom(app, '/tags/apt40/rss.xml')
    expect(atEdge.response.headers.get('x-cache')).toBe('HIT')
    expect(atEdge.response.headers.get('x-cache-layer')).toBe('edge')
    const inIsolate = await fetchFrom(app, '/tags/apt40/rss.xml')
    expect(inIsolate.response.headers.get('x-cache-layer')).toBe('isolate')
    expect(store.queries).toBe(1)

    for (const hit of [atEdge, inIsolate]) {
      expect(hit.body).toBe(first.body)
      for (const name of [
        'etag',
        'last-modified',
        'cache-control',
        'content-type',
        'content-length',
        'access-control-allow-origin',
      ]) {
        expect(hit.response.headers.get(name), name).toBe(first.response.headers.get(name))
      }
    }
  })

  it('answers a conditional request from a cache hit with 304 and no query', async () => {
    const store = countingStore()
    const app = createApp(() => store)
    const first = await fetchFrom(app, '/tags/hafnium/atom.xml')
    const etag = first.response.headers.get('etag') as string
    const conditional = await fetchFrom(app, '/tags/hafnium/atom.xml', { 'If-None-Match': etag })
    expect(conditional.response.status).toBe(304)
    expect(conditional.response.headers.get('x-cache')).toBe('HIT')
    expect(store.queries).toBe(1)
  })

  it('decides a 304 on a miss from the validators, before rendering', async () => {
    const store = countingStore()
    const { etag } = await validators('/tags/china/feed.json')
    const { response } = await fetchFrom(
      createApp(() => store),
      '/tags/china/feed.json',
      { 'If-None-Match': etag },
    )
    expect(response.status).toBe(304)
    expect(response.headers.get('x-cache')).toBe('MISS')
  })

  it("misses once the feed's revision changes, with a new ETag", async () => {
    const store = countingStore()
    const app = createApp(() => store)
    const before = await fetchFrom(app, '/tags/exchange/rss.xml')
    expect((await fetchFrom(app, '/tags/exchange/rss.xml')).response.headers.get('x-cache')).toBe(
      'HIT',
    )
    store.revisionSuffix = '-published'
    const after = await fetchFrom(app, '/tags/exchange/rss.xml')
    expect(after.response.headers.get('x-cache')).toBe('MISS')
    expect(after.response.headers.get('etag')).not.toBe(before.response.headers.get('etag'))
    const stale = await fetchFrom(app, '/tags/exchange/rss.xml', {
      'If-None-Match': before.response.headers.get('etag') as string,
    })
    expect(stale.response.status).toBe(200)
  })

  it('creates no entry for a non-canonical URL', async () => {
    const store = countingStore()
    const app = createApp(() => store)
    const redirected = await fetchFrom(app, '/authors/sean-endicott/feed.json?utm_source=x&limit=3')
    expect(redirected.response.status).toBe(301)
    expect(store.queries).toBe(0)
    await fetchFrom(app, '/authors/sean-endicott/feed.json?limit=3')
    const again = await fetchFrom(app, '/authors/sean-endicott/feed.json?limit=3')
    expect(again.response.headers.get('x-cache')).toBe('HIT')
    expect(store.queries).toBe(1)
  })
})
