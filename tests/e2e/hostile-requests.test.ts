import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RawResponse, rawRequest } from '../helpers/raw-http'
import { type RunningWorker, startWorker } from '../helpers/worker'

let worker: RunningWorker
let port: number
let etag: string

beforeAll(async () => {
  worker = await startWorker()
  port = Number(worker.url.port)
  etag = (await worker.get('/rss.xml')).headers.get('etag') as string
}, 60_000)

afterAll(() => worker?.dispose())

interface Case {
  name: string
  /** The request line's method and target, or a whole raw request when `raw` is set. */
  target?: string
  method?: string
  headers?: string[]
  raw?: string | Buffer
  /** Statuses that are right for this request. */
  expect: number[]
  /**
   * Statuses the local runtime answers itself, before any Worker code runs (workerd's HTTP
   * parser, wrangler dev's proxy; 0 for a connection closed without an answer): allowed only
   * on a response that carries none of the Worker's headers.
   */
  runtime?: number[]
  /** Text that must not come back verbatim (reflected input). */
  forbidden?: string
}

const long = (n: number) => 'a'.repeat(n)

// Each request goes over a raw socket to the real Worker in workerd, exactly as written.
const CASES: Case[] = [
  // Path traversal, raw and percent-encoded.
  { name: 'dot-dot segments', target: '/../../etc/passwd', expect: [404] },
  { name: 'encoded dot-dot segments', target: '/%2e%2e/%2e%2e/etc/passwd', expect: [404] },
  { name: 'encoded slashes in a slug', target: '/categories/..%2f..%2fetc/rss.xml', expect: [404] },
  // The URL standard reads %2e%2e as "..": this is /rss.xml, served as such.
  { name: 'encoded dot-dot as the slug', target: '/categories/%2e%2e/rss.xml', expect: [200, 404] },
  { name: 'backslashes in a slug', target: '/tags/..%5c..%5cwin.ini/rss.xml', expect: [404] },
  { name: 'double leading slash', target: '//etc/passwd', expect: [404] },
  { name: 'dot-dot back to a real page', target: '/articles/../feeds.opml', expect: [200, 404] },
  {
    name: 'dot segment in a feed path',
    target: '/categories/./security/rss.xml',
    expect: [200, 404],
  },
  // Over-long paths and slugs.
  { name: 'a 10,000-character path', target: `/${long(10_000)}`, expect: [404, 414] },
  { name: 'a 5,000-character slug', target: `/tags/${long(5_000)}/rss.xml`, expect: [404, 414] },
  { name: 'a 100,000-character path', target: `/${long(100_000)}`, expect: [400, 404, 414, 431] },
  // NUL and control characters.
  { name: 'encoded NUL in a slug', target: '/tags/%00/rss.xml', expect: [404] },
  {
    name: 'encoded CRLF and a header in a slug',
    target: '/tags/a%0d%0aSet-Cookie:%20x=1/rss.xml',
    expect: [404],
    forbidden: 'Set-Cookie: x=1',
  },
  {
    name: 'encoded control characters in the query',
    target: '/rss.xml?limit=%01%02',
    expect: [400],
  },
  {
    name: 'a raw NUL byte in the path',
    raw: Buffer.from(
      'GET /tags/\u0000/rss.xml HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
      'latin1',
    ),
    expect: [400, 404],
  },
  {
    name: 'a raw tab in the path',
    raw: 'GET /tags/a\tb/rss.xml HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
    expect: [400, 404],
  },
  {
    name: 'a raw DEL in the path',
    raw: Buffer.from(
      'GET /tags/a\u007fb/rss.xml HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
      'latin1',
    ),
    expect: [400, 404],
  },
  // Invalid UTF-8 and broken percent-escapes.
  { name: 'invalid UTF-8 escape', target: '/tags/%C3%28/rss.xml', expect: [404] },
  { name: 'a byte-order mark and invalid bytes', target: '/tags/%FF%FE/rss.xml', expect: [404] },
  { name: 'a truncated escape', target: '/tags/%E0%A4%A/rss.xml', expect: [404] },
  { name: 'a lone percent sign', target: '/%', expect: [400, 404] },
  { name: 'a lone percent sign in a slug', target: '/tags/%/rss.xml', expect: [400, 404] },
  { name: 'an overlong UTF-8 slash', target: '/categories/%C0%AF/rss.xml', expect: [404] },
  {
    name: 'raw UTF-8 (not escaped) in the path',
    raw: Buffer.from(
      'GET /tags/été/rss.xml HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
      'utf8',
    ),
    expect: [400, 404],
  },
  // limit and page.
  ...['-1', '0', '1e20', 'abc', '99999999999999999999', '', '%00', '+5', '5.0', '0x10', '١٢'].map(
    (value) => ({
      name: `limit=${value}`,
      target: `/rss.xml?limit=${value}`,
      expect: [400],
    }),
  ),
  ...['-1', '0', '1e20', 'abc', ''].map((value) => ({
    name: `page=${value}`,
    target: `/atom.xml?page=${value}`,
    expect: [400],
  })),
  { name: 'limit given twice', target: '/rss.xml?limit=5&limit=5', expect: [400] },
  { name: 'page given twice', target: '/feed.json?page=1&page=2', expect: [400] },
  { name: 'a page past the end', target: '/rss.xml?page=99999', expect: [404] },
  { name: 'an unknown parameter', target: '/rss.xml?utm_source=newsletter', expect: [301] },
  {
    name: 'script in an unknown parameter',
    target: '/rss.xml?x=%3Cscript%3Ealert(1)%3C/script%3E',
    expect: [301],
    forbidden: '<script>',
  },
  {
    name: 'script in limit',
    target: '/rss.xml?limit=%3Cscript%3Ealert(1)%3C/script%3E',
    expect: [400],
    forbidden: '<script>',
  },
  { name: 'an 8 KB query', target: `/rss.xml?q=${long(8_000)}`, expect: [301, 414] },
  {
    name: 'a thousand parameters',
    target: `/rss.xml?${Array.from({ length: 1000 }, (_, i) => `p${i}=1`).join('&')}`,
    expect: [301, 414],
  },
  // Methods.
  ...['POST', 'PUT', 'DELETE', 'PATCH', 'PROPFIND'].map((method) => ({
    name: `${method}`,
    method,
    target: '/rss.xml',
    expect: [405],
  })),
  { name: 'TRACE', method: 'TRACE', target: '/rss.xml', expect: [400, 405] },
  {
    name: 'OPTIONS preflight',
    method: 'OPTIONS',
    target: '/rss.xml',
    headers: ['Origin: https://reader.test', 'Access-Control-Request-Method: GET'],
    expect: [204],
  },
  { name: 'HEAD', method: 'HEAD', target: '/atom.xml', expect: [200] },
  {
    name: 'POST with a body',
    method: 'POST',
    target: '/feeds.opml',
    headers: ['Content-Type: text/plain', 'Content-Length: 5'],
    expect: [405],
  },
  // Garbage validators.
  {
    name: 'If-None-Match garbage',
    target: '/rss.xml',
    headers: ['If-None-Match: garbage'],
    expect: [200],
  },
  {
    name: 'If-None-Match unterminated',
    target: '/rss.xml',
    headers: ['If-None-Match: "abc'],
    expect: [200],
  },
  { name: 'If-None-Match star', target: '/rss.xml', headers: ['If-None-Match: *'], expect: [304] },
  {
    name: 'If-None-Match a 10 KB list',
    target: '/rss.xml',
    headers: [`If-None-Match: ${'W/"x", '.repeat(1_400)}"y"`],
    expect: [200],
  },
  {
    name: 'If-Modified-Since garbage',
    target: '/rss.xml',
    headers: ['If-Modified-Since: yesterday'],
    expect: [200],
  },
  {
    name: 'If-Modified-Since far future',
    target: '/rss.xml',
    headers: ['If-Modified-Since: Fri, 31 Dec 9999 23:59:59 GMT'],
    expect: [304],
  },
  {
    name: 'If-Modified-Since zero',
    target: '/rss.xml',
    headers: ['If-Modified-Since: 0'],
    expect: [200],
  },
  {
    name: 'If-Modified-Since with script',
    target: '/rss.xml',
    headers: ['If-Modified-Since: <script>alert(1)</script>'],
    expect: [200],
  },
  // Huge and odd headers.
  {
    name: 'a 16 KB header',
    target: '/rss.xml',
    headers: [`X-Big: ${long(16_000)}`],
    expect: [200, 431],
  },
  {
    name: 'two hundred headers',
    target: '/rss.xml',
    headers: Array.from({ length: 200 }, (_, i) => `X-H${i}: ${i}`),
    expect: [200, 431],
  },
  {
    name: 'a 200 KB header',
    target: '/rss.xml',
    headers: [`X-Huge: ${long(200_000)}`],
    expect: [400, 431],
    runtime: [0],
  },
  {
    name: 'Accept garbage',
    target: '/feed.json',
    headers: ['Accept: ;;;,,,*/*;q=abc'],
    expect: [200],
  },
  {
    name: 'Accept-Encoding garbage',
    target: '/feed.json',
    headers: ['Accept-Encoding: gzip;q=2, br;q=-1, zz'],
    expect: [200],
  },
  { name: 'a header with no value', target: '/rss.xml', headers: ['X-Empty:'], expect: [200] },
  // Static assets carry the same security headers (public/_headers).
  { name: 'a static asset', target: '/assets/site.css', expect: [200] },
  { name: 'a missing asset', target: '/assets/nope.css', expect: [404] },
  // Shapes of the URL map that are not in it.
  { name: 'trailing slash after a feed file', target: '/rss.xml/', expect: [404] },
  { name: 'upper-case feed file', target: '/RSS.XML', expect: [404] },
  { name: 'upper-case slug', target: '/categories/Security/rss.xml', expect: [404] },
  { name: 'empty segment', target: '/categories/security//rss.xml', expect: [404] },
  { name: 'unknown feed kind', target: '/sections/security/rss.xml', expect: [404] },
  {
    name: 'the publish API on the bundled Worker',
    target: '/api/articles/00000000-0000-4000-8000-000000000000',
    expect: [404],
  },
  {
    name: 'script in a slug',
    target: '/tags/%3Cscript%3Ealert(1)%3C%2Fscript%3E/',
    expect: [404],
    forbidden: '<script>',
  },
  // Protocol oddities.
  { name: 'HTTP/1.0 without Host', raw: 'GET /rss.xml HTTP/1.0\r\n\r\n', expect: [200, 400] },
  {
    name: 'absolute-form request target',
    raw: `GET http://127.0.0.1/rss.xml HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
    expect: [200, 400],
    runtime: [500],
  },
  {
    name: 'HTTP/1.1 without Host',
    raw: 'GET /rss.xml HTTP/1.1\r\nConnection: close\r\n\r\n',
    expect: [200, 400],
  },
  {
    name: 'a Host with markup',
    raw: 'GET /rss.xml HTTP/1.1\r\nHost: <script>\r\nConnection: close\r\n\r\n',
    expect: [400],
    runtime: [500],
    forbidden: '<script>',
  },
  { name: 'an unknown method', method: 'FOO', target: '/rss.xml', expect: [405], runtime: [501] },
  { name: 'garbage request line', raw: 'HELLO\r\n\r\n', expect: [400], runtime: [501] },
  {
    name: 'a GET with a chunked body',
    raw: 'GET /rss.xml HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n',
    expect: [200, 400],
  },
]

function send(test: Case): Promise<RawResponse> {
  if (test.raw !== undefined) return rawRequest(port, test.raw)
  const headers = [`Host: 127.0.0.1:${port}`, 'Connection: close', ...(test.headers ?? [])]
  const body = test.method === 'POST' && test.name === 'POST with a body' ? 'hello' : ''
  return rawRequest(
    port,
    `${test.method ?? 'GET'} ${test.target} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n${body}`,
  )
}

describe('hostile requests to the real Worker', () => {
  it('has at least sixty of them', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60)
  })

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, test) => {
    const response = await send(test)
    // What the runtime answers itself never reached the Worker: it has none of its headers.
    const fromRuntime =
      response.headers['x-content-type-options'] === undefined &&
      test.runtime?.includes(response.status)
    if (!fromRuntime) {
      expect(test.expect, `status ${response.status}: ${response.body.slice(0, 200)}`).toContain(
        response.status,
      )
      expect(response.status).toBeLessThan(500)
    }
    // Error bodies are one short line: never a stack trace or a source path.
    if (response.status >= 400)
      expect(response.body).not.toMatch(/\bat [\w.<>]+ \(|\.ts:\d+|Error: /)
    if (response.status >= 400)
      expect(response.body.length, response.body.slice(0, 200)).toBeLessThan(200)
    if (test.forbidden) {
      expect(response.body).not.toContain(test.forbidden)
      expect(JSON.stringify(response.headers)).not.toContain(test.forbidden)
    }
    // Whatever the Worker itself answered carries the security headers.
    if (response.headers['x-content-type-options'] !== undefined || response.status < 400) {
      expect(response.headers['x-content-type-options']).toBe('nosniff')
      expect(response.headers['referrer-policy']).toBe('strict-origin-when-cross-origin')
    }
  })

  it('answers a conditional request for the current ETag with 304 even among hostile traffic', async () => {
    const response = await rawRequest(
      port,
      `GET /rss.xml HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nIf-None-Match: ${etag}\r\nConnection: close\r\n\r\n`,
    )
    expect(response.status).toBe(304)
  })
})
