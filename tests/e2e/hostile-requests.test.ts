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
  /** The one status this request must get. */
  status: number
  /**
   * The local runtime answers it itself, before any Worker code runs (workerd's HTTP parser,
   * wrangler dev's proxy): the response carries none of the Worker's headers.
   */
  runtime?: true
  /** Text that must not come back verbatim (reflected input). */
  forbidden?: string
}

const long = (n: number) => 'a'.repeat(n)

// Each request goes over a raw socket to the real Worker in workerd, exactly as written.
const CASES: Case[] = [
  // Path traversal, raw and percent-encoded.
  { name: 'dot-dot segments', target: '/../../etc/passwd', status: 404 },
  { name: 'encoded dot-dot segments', target: '/%2e%2e/%2e%2e/etc/passwd', status: 404 },
  { name: 'encoded slashes in a slug', target: '/categories/..%2f..%2fetc/rss.xml', status: 404 },
  // The URL standard reads %2e%2e as "..": this is /rss.xml, served as such.
  { name: 'encoded dot-dot as the slug', target: '/categories/%2e%2e/rss.xml', status: 200 },
  { name: 'backslashes in a slug', target: '/tags/..%5c..%5cwin.ini/rss.xml', status: 404 },
  { name: 'double leading slash', target: '//etc/passwd', status: 404 },
  { name: 'dot-dot back to a real page', target: '/articles/../feeds.opml', status: 200 },
  {
    name: 'dot segment in a feed path',
    target: '/categories/./security/rss.xml',
    status: 200,
  },
  // Over-long paths and slugs.
  { name: 'a 10,000-character path', target: `/${long(10_000)}`, status: 404 },
  { name: 'a 5,000-character slug', target: `/tags/${long(5_000)}/rss.xml`, status: 404 },
  { name: 'a 100,000-character path', target: `/${long(100_000)}`, status: 431, runtime: true },
  // NUL and control characters.
  { name: 'encoded NUL in a slug', target: '/tags/%00/rss.xml', status: 404 },
  {
    name: 'encoded CRLF and a header in a slug',
    target: '/tags/a%0d%0aSet-Cookie:%20x=1/rss.xml',
    status: 404,
    forbidden: 'Set-Cookie: x=1',
  },
  {
    name: 'encoded control characters in the query',
    target: '/rss.xml?limit=%01%02',
    status: 400,
  },
  {
    name: 'a raw NUL byte in the path',
    raw: Buffer.from(
      'GET /tags/\u0000/rss.xml HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
      'latin1',
    ),
    status: 400,
    runtime: true,
  },
  {
    name: 'a raw tab in the path',
    raw: 'GET /tags/a\tb/rss.xml HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
    status: 404,
  },
  {
    name: 'a raw DEL in the path',
    raw: Buffer.from(
      'GET /tags/a\u007fb/rss.xml HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
      'latin1',
    ),
    status: 404,
  },
  // Invalid UTF-8 and broken percent-escapes.
  { name: 'invalid UTF-8 escape', target: '/tags/%C3%28/rss.xml', status: 404 },
  { name: 'a byte-order mark and invalid bytes', target: '/tags/%FF%FE/rss.xml', status: 404 },
  { name: 'a truncated escape', target: '/tags/%E0%A4%A/rss.xml', status: 404 },
  { name: 'a lone percent sign', target: '/%', status: 404 },
  { name: 'a lone percent sign in a slug', target: '/tags/%/rss.xml', status: 404 },
  { name: 'an overlong UTF-8 slash', target: '/categories/%C0%AF/rss.xml', status: 404 },
  {
    name: 'raw UTF-8 (not escaped) in the path',
    raw: Buffer.from(
      'GET /tags/été/rss.xml HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
      'utf8',
    ),
    status: 404,
  },
  // limit and page.
  ...['-1', '0', '1e20', 'abc', '99999999999999999999', '', '%00', '+5', '5.0', '0x10', '١٢'].map(
    (value) => ({
      name: `limit=${value}`,
      target: `/rss.xml?limit=${value}`,
      status: 400,
    }),
  ),
  ...['-1', '0', '1e20', 'abc', ''].map((value) => ({
    name: `page=${value}`,
    target: `/atom.xml?page=${value}`,
    status: 400,
  })),
  { name: 'limit given twice', target: '/rss.xml?limit=5&limit=5', status: 400 },
  { name: 'page given twice', target: '/feed.json?page=1&page=2', status: 400 },
  { name: 'a page past the end', target: '/rss.xml?page=99999', status: 404 },
  { name: 'an unknown parameter', target: '/rss.xml?utm_source=newsletter', status: 301 },
  {
    name: 'script in an unknown parameter',
    target: '/rss.xml?x=%3Cscript%3Ealert(1)%3C/script%3E',
    status: 301,
    forbidden: '<script>',
  },
  {
    name: 'script in limit',
    target: '/rss.xml?limit=%3Cscript%3Ealert(1)%3C/script%3E',
    status: 400,
    forbidden: '<script>',
  },
  { name: 'an 8 KB query', target: `/rss.xml?q=${long(8_000)}`, status: 301 },
  {
    name: 'a thousand parameters',
    target: `/rss.xml?${Array.from({ length: 1000 }, (_, i) => `p${i}=1`).join('&')}`,
    status: 301,
  },
  // Methods.
  ...['POST', 'PUT', 'DELETE', 'PATCH', 'PROPFIND'].map((method) => ({
    name: `${method}`,
    method,
    target: '/rss.xml',
    status: 405,
  })),
  { name: 'TRACE', method: 'TRACE', target: '/rss.xml', status: 405 },
  {
    name: 'OPTIONS preflight',
    method: 'OPTIONS',
    target: '/rss.xml',
    headers: ['Origin: https://reader.test', 'Access-Control-Request-Method: GET'],
    status: 204,
  },
  { name: 'HEAD', method: 'HEAD', target: '/atom.xml', status: 200 },
  {
    name: 'POST with a body',
    method: 'POST',
    target: '/feeds.opml',
    headers: ['Content-Type: text/plain', 'Content-Length: 5'],
    status: 405,
  },
  // Garbage validators.
  {
    name: 'If-None-Match garbage',
    target: '/rss.xml',
    headers: ['If-None-Match: garbage'],
    status: 200,
  },
  {
    name: 'If-None-Match unterminated',
    target: '/rss.xml',
    headers: ['If-None-Match: "abc'],
    status: 200,
  },
  { name: 'If-None-Match star', target: '/rss.xml', headers: ['If-None-Match: *'], status: 304 },
  {
    name: 'If-None-Match a 10 KB list',
    target: '/rss.xml',
    headers: [`If-None-Match: ${'W/"x", '.repeat(1_400)}"y"`],
    status: 200,
  },
  {
    name: 'If-Modified-Since garbage',
    target: '/rss.xml',
    headers: ['If-Modified-Since: yesterday'],
    status: 200,
  },
  {
    name: 'If-Modified-Since far future',
    target: '/rss.xml',
    headers: ['If-Modified-Since: Fri, 31 Dec 9999 23:59:59 GMT'],
    status: 304,
  },
  {
    name: 'If-Modified-Since zero',
    target: '/rss.xml',
    headers: ['If-Modified-Since: 0'],
    status: 200,
  },
  {
    name: 'If-Modified-Since with script',
    target: '/rss.xml',
    headers: ['If-Modified-Since: <script>alert(1)</script>'],
    status: 200,
  },
  // Huge and odd headers.
  {
    name: 'a 16 KB header',
    target: '/rss.xml',
    headers: [`X-Big: ${long(16_000)}`],
    status: 200,
  },
  {
    name: 'two hundred headers',
    target: '/rss.xml',
    headers: Array.from({ length: 200 }, (_, i) => `X-H${i}: ${i}`),
    status: 200,
  },
  {
    name: 'a 200 KB header',
    target: '/rss.xml',
    headers: [`X-Huge: ${long(200_000)}`],
    status: 431,
    runtime: true,
  },
  {
    name: 'Accept garbage',
    target: '/feed.json',
    headers: ['Accept: ;;;,,,*/*;q=abc'],
    status: 200,
  },
  {
    name: 'Accept-Encoding garbage',
    target: '/feed.json',
    headers: ['Accept-Encoding: gzip;q=2, br;q=-1, zz'],
    status: 200,
  },
  { name: 'a header with no value', target: '/rss.xml', headers: ['X-Empty:'], status: 200 },
  // Static assets carry the same security headers (public/_headers).
  { name: 'a static asset', target: '/assets/site.css', status: 200 },
  { name: 'a missing asset', target: '/assets/nope.css', status: 404 },
  // Shapes of the URL map that are not in it.
  { name: 'trailing slash after a feed file', target: '/rss.xml/', status: 404 },
  { name: 'upper-case feed file', target: '/RSS.XML', status: 404 },
  { name: 'upper-case slug', target: '/categories/Security/rss.xml', status: 404 },
  { name: 'empty segment', target: '/categories/security//rss.xml', status: 404 },
  { name: 'unknown feed kind', target: '/sections/security/rss.xml', status: 404 },
  {
    name: 'the publish API on the bundled Worker',
    target: '/api/articles/00000000-0000-4000-8000-000000000000',
    status: 404,
  },
  {
    name: 'script in a slug',
    target: '/tags/%3Cscript%3Ealert(1)%3C%2Fscript%3E/',
    status: 404,
    forbidden: '<script>',
  },
  // Protocol oddities.
  {
    name: 'HTTP/1.0 without Host',
    raw: 'GET /rss.xml HTTP/1.0\r\n\r\n',
    status: 400,
    runtime: true,
  },
  {
    name: 'absolute-form request target',
    raw: `GET http://127.0.0.1/rss.xml HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
    status: 500,
    runtime: true,
  },
  {
    name: 'HTTP/1.1 without Host',
    raw: 'GET /rss.xml HTTP/1.1\r\nConnection: close\r\n\r\n',
    status: 400,
    runtime: true,
  },
  {
    name: 'a Host with markup',
    raw: 'GET /rss.xml HTTP/1.1\r\nHost: <script>\r\nConnection: close\r\n\r\n',
    status: 500,
    runtime: true,
    forbidden: '<script>',
  },
  {
    name: 'an unknown method',
    method: 'FOO',
    target: '/rss.xml',
    status: 501,
    runtime: true,
  },
  {
    name: 'garbage request line',
    raw: 'HELLO\r\n\r\n',
    status: 501,
    runtime: true,
  },
  {
    name: 'a GET with a chunked body',
    raw: 'GET /rss.xml HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n',
    status: 200,
  },
]

// Requests written to a socket, and those that got a status line back.
const tally = { sent: 0, answered: 0 }
const responses = new Map<string, RawResponse>()

async function send(test: Case): Promise<RawResponse> {
  const headers = [`Host: 127.0.0.1:${port}`, 'Connection: close', ...(test.headers ?? [])]
  const body = test.method === 'POST' && test.name === 'POST with a body' ? 'hello' : ''
  const request =
    test.raw ??
    `${test.method ?? 'GET'} ${test.target} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n${body}`
  tally.sent += 1
  const response = await rawRequest(port, request)
  if (response.status > 0) tally.answered += 1
  responses.set(test.name, response)
  return response
}

const byWorker = CASES.filter((c) => !c.runtime)
const byRuntime = CASES.filter((c) => c.runtime)
const errors = CASES.filter((c) => c.status >= 400)
const reflecting = CASES.filter((c) => c.forbidden !== undefined)
const named = (cases: Case[]) => cases.map((c) => [c.name, c] as const)
// Each case is sent once, by the first test below; the later ones read its answer.
const answerTo = (test: Case) => responses.get(test.name) as RawResponse

describe('hostile requests to the real Worker', () => {
  it.each(named(CASES))('%s gets its one status', async (_name, test) => {
    const response = await send(test)
    expect(response.status, response.body.slice(0, 200)).toBe(test.status)
  })

  // Whatever the Worker itself answered carries the security headers, and is never a 5xx.
  it.each(named(byWorker))('%s is answered by the Worker, with its headers', (_name, test) => {
    const response = answerTo(test)
    expect(response.status).toBeLessThan(500)
    expect(response.headers['x-content-type-options']).toBe('nosniff')
    expect(response.headers['referrer-policy']).toBe('strict-origin-when-cross-origin')
  })

  // What the runtime answers itself never reached the Worker: it has none of its headers.
  it.each(named(byRuntime))('%s is answered by the runtime, before the Worker', (_name, test) => {
    expect(answerTo(test).headers['x-content-type-options']).toBeUndefined()
  })

  // Error bodies are one short line: never a stack trace or a source path.
  it.each(named(errors))('%s has a short error body without a trace', (_name, test) => {
    const response = answerTo(test)
    expect(response.body).not.toMatch(/\bat [\w.<>]+ \(|\.ts:\d+|Error: /)
    expect(response.body.length, response.body.slice(0, 200)).toBeLessThan(200)
  })

  it.each(named(reflecting))('%s does not reflect its input', (_name, test) => {
    const response = answerTo(test)
    expect(response.body).not.toContain(test.forbidden)
    expect(JSON.stringify(response.headers)).not.toContain(test.forbidden)
  })

  it('sent at least sixty of them, each answered with a status', () => {
    expect(tally.sent).toBe(CASES.length)
    expect(tally.answered).toBe(CASES.length)
    expect(tally.answered).toBeGreaterThanOrEqual(60)
  })

  it('answers a conditional request for the current ETag with 304 even among hostile traffic', async () => {
    const response = await rawRequest(
      port,
      `GET /rss.xml HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nIf-None-Match: ${etag}\r\nConnection: close\r\n\r\n`,
    )
    expect(response.status).toBe(304)
  })
})
