import { exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'

const ORIGIN = 'http://127.0.0.1:8787'
const ARTICLE =
  '/articles/microsoft-exchange-server-attacks-were-carried-out-by-china-claim-us-and-uk/'

function get(path: string, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(new Request(`${ORIGIN}${path}`, init))
}

describe('URL map', () => {
  it.each([
    ['/rss.xml', 'application/rss+xml; charset=utf-8'],
    ['/atom.xml', 'application/atom+xml; charset=utf-8'],
    ['/feed.json', 'application/feed+json; charset=utf-8'],
    ['/categories/security/rss.xml', 'application/rss+xml; charset=utf-8'],
    ['/categories/microsoft/atom.xml', 'application/atom+xml; charset=utf-8'],
    ['/authors/sean-endicott/feed.json', 'application/feed+json; charset=utf-8'],
    ['/tags/apt40/rss.xml', 'application/rss+xml; charset=utf-8'],
    ['/feeds/security-threats/atom.xml', 'application/atom+xml; charset=utf-8'],
    ['/feeds.opml', 'text/x-opml; charset=utf-8'],
    ['/', 'text/html; charset=utf-8'],
    ['/categories/security/', 'text/html; charset=utf-8'],
    ['/authors/sean-endicott/', 'text/html; charset=utf-8'],
    ['/tags/hafnium/', 'text/html; charset=utf-8'],
    ['/feeds/security-threats/', 'text/html; charset=utf-8'],
    [ARTICLE, 'text/html; charset=utf-8'],
  ])('GET %s is 200 %s', async (path, type) => {
    const response = await get(path)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe(type)
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    await response.arrayBuffer()
  })

  it.each([
    '/categories/nope/rss.xml',
    '/authors/nobody/atom.xml',
    '/tags/nothing/feed.json',
    '/feeds/missing/rss.xml',
    '/categories/nope/',
    '/articles/nope/',
    '/nope',
    '/rss.xmlx',
  ])('GET %s is a plain 404', async (path) => {
    const response = await get(path)
    expect(response.status).toBe(404)
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    expect(await response.text()).toMatch(/^(not found|no such (feed|article))\n$/)
  })

  it('has no benchmark floor route (only bench/floor-worker.ts mounts it)', async () => {
    expect((await get('/__floor?bytes=10')).status).toBe(404)
  })

  it.each(['POST', 'PUT', 'DELETE', 'PATCH'])('%s is 405 with Allow', async (method) => {
    const response = await get('/rss.xml', { method })
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS')
  })

  it.each(['0', '-1', '101', 'abc', '1e3', '5.5', ''])(
    '?limit=%s is 400 with a short message',
    async (limit) => {
      const response = await get(`/rss.xml?limit=${limit}`)
      expect(response.status).toBe(400)
      expect(await response.text()).toBe('limit must be a whole number from 1 to 100\n')
    },
  )

  it('?limit=N within bounds answers N items at most, and the curated feed caps at its own limit', async () => {
    expect((await get('/rss.xml?limit=1')).status).toBe(200)
    expect((await get('/feeds/security-threats/rss.xml?limit=50')).status).toBe(200)
    expect((await get('/feeds/security-threats/rss.xml?limit=51')).status).toBe(400)
  })

  it('redirects a page address without its trailing slash', async () => {
    const response = await get('/categories/security', { redirect: 'manual' })
    expect(response.status).toBe(301)
    expect(response.headers.get('location')).toBe(`${ORIGIN}/categories/security/`)
  })

  it.each([
    ['/categories/security/atom.xml?utm_source=x&limit=5', '/categories/security/atom.xml?limit=5'],
    ['/rss.xml?page=1&limit=5', '/rss.xml?limit=5'],
    ['/rss.xml?limit=20', '/rss.xml'],
  ])('sends %s to its canonical URL %s with a 301', async (path, canonical) => {
    const response = await get(path, { redirect: 'manual' })
    expect(response.status).toBe(301)
    expect(response.headers.get('location')).toBe(`${ORIGIN}${canonical}`)
  })

  it('links rel=self to exactly the URL that was fetched', async () => {
    const body = await (await get('/categories/security/atom.xml?limit=5')).text()
    expect(body).toContain(
      `<link rel="self" type="application/atom+xml" href="${ORIGIN}/categories/security/atom.xml?limit=5"/>`,
    )
  })

  it('answers HEAD like GET without a body', async () => {
    const [getResponse, headResponse] = await Promise.all([
      get('/atom.xml'),
      get('/atom.xml', { method: 'HEAD' }),
    ])
    const body = await getResponse.arrayBuffer()
    expect(headResponse.status).toBe(200)
    expect(await headResponse.text()).toBe('')
    for (const name of [
      'content-type',
      'etag',
      'last-modified',
      'cache-control',
      'access-control-allow-origin',
    ]) {
      expect(headResponse.headers.get(name), name).toBe(getResponse.headers.get(name))
    }
    expect(headResponse.headers.get('content-length')).toBe(String(body.byteLength))
  })

  it('answers a CORS preflight', async () => {
    const response = await get('/feed.json', {
      method: 'OPTIONS',
      headers: { Origin: 'https://reader.test', 'Access-Control-Request-Method': 'GET' },
    })
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, HEAD, OPTIONS')
  })
})
