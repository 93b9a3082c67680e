import { beforeAll, describe, expect, it } from 'vitest'
import type { ArticleStore } from '../../src/store/types'
import { bigNewsroomApp, TAGS } from '../helpers/big-newsroom'

const ORIGIN = 'https://news.test'
let app: ReturnType<typeof bigNewsroomApp>
const asked = { calls: 0, feeds: 0 }

// The store as the app sees it, counting what it is asked for counts.
function countingCounts(store: ArticleStore): ArticleStore {
  return new Proxy(store, {
    get(target, name) {
      if (name === 'counts')
        return (...args: Parameters<ArticleStore['counts']>) => {
          asked.calls += 1
          asked.feeds += args[0].length
          return target.counts(...args)
        }
      const value = Reflect.get(target, name, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

beforeAll(() => {
  app = bigNewsroomApp(countingCounts)
}, 120_000)

const get = (path: string) => app.request(`${ORIGIN}${path}`)
// A filtered list's address as the list spells it (anything else is redirected there).
const filtered = (q: string, page = 1) =>
  `/tags/?${new URLSearchParams({ q, ...(page > 1 ? { page: String(page) } : {}) })}`

describe(`filtering a list of ${TAGS.toLocaleString('en-US')} tags`, () => {
  it('reads the counts once per revision, however many queries and pages are asked', async () => {
    const queries = [
      'e',
      'zebra',
      'topic 12',
      'ecosse 4',
      'москва',
      '東京',
      'nothing-like-it',
      'on',
    ]
    for (const path of ['/tags/', '/tags/?page=3', ...queries.map((q) => filtered(q))])
      expect((await get(path)).status, path).toBe(200)
    expect(asked).toEqual({ calls: 1, feeds: TAGS })
    // Each tag is on exactly one article of the newsroom: every row says so.
    const html = await (await get('/tags/?q=zebra&page=2')).text()
    const counts = [...html.matchAll(/<td class="count">([^<]+)<\/td>/g)].map((m) => m[1])
    expect(counts).toHaveLength(200)
    expect(new Set(counts)).toEqual(new Set(['1 article']))
  })

  it('keeps every other response cached whatever queries arrive: filtered pages are kept nowhere', async () => {
    for (const path of ['/tags/', '/tags/?page=2', '/rss.xml']) await get(path)
    let bytes = 0
    for (const q of ['e', 'o', 't', 's', 'a']) {
      const first = await (await get(filtered(q))).text()
      const pages = Number(/Page 1 of (\d+)/.exec(first)?.[1])
      for (let page = 1; page <= pages; page++) {
        const response = await get(filtered(q, page))
        expect(response.status).toBe(200)
        bytes += (await response.arrayBuffer()).byteLength
      }
    }
    // More than the isolate's 32 MiB of responses went by.
    expect(bytes).toBeGreaterThan(32 * 1024 * 1024)
    // A filtered page asked again is made again (from the rows the list keeps), not stored;
    // its validators still answer a revalidation with 304.
    const again = await get(filtered('e'))
    expect(again.headers.get('x-cache')).toBe('MISS')
    const etag = String(again.headers.get('etag'))
    await again.arrayBuffer()
    const revalidated = await app.request(`${ORIGIN}${filtered('e')}`, {
      headers: { 'if-none-match': etag },
    })
    expect(revalidated.status).toBe(304)
    for (const path of ['/tags/', '/tags/?page=2', '/rss.xml']) {
      const response = await get(path)
      expect(response.headers.get('x-cache'), path).toBe('HIT')
      expect(response.headers.get('x-cache-layer'), path).toBe('isolate')
    }
  }, 300_000)

  it('finds what a scan of every name finds, for short and long queries', async () => {
    // The oracle: every tag name, paged through without a filter, folded by hand.
    const names: string[] = []
    for (let page = 1; page <= 3; page++) {
      const html = await (await get(`/tags/${page > 1 ? `?page=${page}` : ''}`)).text()
      names.push(
        ...[...html.matchAll(/<th scope="row"><a href="[^"]+">([^<]+)<\/a>/g)].map(
          (m) => m[1] as string,
        ),
      )
    }
    const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
    for (const name of names.slice(0, 600).filter((_, i) => i % 97 === 0)) {
      for (const q of [name.slice(0, 2), name.slice(-4), name]) {
        const html = await (await get(filtered(q))).text()
        const shown = [...html.matchAll(/<th scope="row"><a href="[^"]+">([^<]+)<\/a>/g)].map(
          (m) => m[1] as string,
        )
        for (const found of shown) expect(fold(found), q).toContain(fold(q).trim())
        // Every name of the first pages that holds it is found, on the first page or later.
        const total = Number(/([\d,]+) of [\d,]+ tags match/.exec(html)?.[1]?.replace(/,/g, ''))
        const expectedHere = names.filter((n) => fold(n).includes(fold(q).trim())).length
        expect(total, q).toBeGreaterThanOrEqual(expectedHere)
      }
    }
  })
})
