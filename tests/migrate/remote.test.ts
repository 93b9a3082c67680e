import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Limits } from '../../src/migrate/fetch'
import { readSource } from '../../src/migrate/read'

const LIMITS: Limits = {
  pages: 5,
  pageBytes: 1024 * 1024,
  totalBytes: 8 * 1024 * 1024,
  timeout: 1000,
  hosts: new Set(),
}

/** An RSS page with one item `g{n}`, and a next link when `next` is given. */
const page = (n: number | string, next?: string) => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Chain</title>
${next === undefined ? '' : `<atom:link rel="next" href="${next}"/>`}
<item><guid>g${n}</guid><title>Item ${n}</title><link>https://chain.example/${n}/</link>
<pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate><description>Body ${n}</description></item>
</channel></rss>
`

let server: Server
let base = ''
let closedPort = 0

function answer(path: string, res: import('node:http').ServerResponse): void {
  const rss = { 'content-type': 'application/rss+xml' }
  const n = Number(path.split('/').at(-1))
  if (path.startsWith('/chain/')) {
    res.writeHead(200, rss).end(page(n, n < 3 ? String(n + 1) : undefined))
  } else if (path.startsWith('/broken/')) {
    if (n === 3) res.writeHead(503).end('down')
    else res.writeHead(200, rss).end(page(n, `/broken/${n + 1}`))
  } else if (path === '/down') {
    res.writeHead(503).end()
  } else if (path.startsWith('/endless/')) {
    res.writeHead(200, rss).end(page(n, `/endless/${n + 1}?at=${Date.now()}`))
  } else if (path === '/never-ending') {
    res.writeHead(200, rss)
    res.write('<?xml version="1.0"?><rss version="2.0"><channel><title>')
    const block = 'x'.repeat(64 * 1024)
    const timer = setInterval(() => res.write(block), 1)
    res.on('close', () => clearInterval(timer))
  } else if (path === '/silent') {
    // Never answers: the request's timeout ends it.
  } else if (path === '/elsewhere') {
    res.writeHead(302, { location: `${base.replace('127.0.0.1', 'localhost')}/chain/1` }).end()
  } else if (path === '/file-next') {
    res.writeHead(200, rss).end(page('f', 'file:///etc/passwd'))
  } else if (path === '/cp1251') {
    // No encoding in the declaration: the HTTP charset says windows-1251 (Привет).
    const [before, after] = page('c').split('Item c')
    res.writeHead(200, { 'content-type': 'text/xml; charset=windows-1251' })
    res.end(
      Buffer.concat([
        Buffer.from((before as string).replace(' encoding="UTF-8"', ''), 'latin1'),
        Buffer.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]),
        Buffer.from(after as string, 'latin1'),
      ]),
    )
  } else if (path === '/feed.json') {
    // RFC 8259 §8.1: JSON is UTF-8, whatever the header claims.
    res.writeHead(200, { 'content-type': 'application/feed+json; charset=iso-8859-1' })
    res.end(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title: 'J',
        items: [
          { id: 'j', title: 'Crème', content_text: 'x', date_published: '2026-03-02T10:00:00Z' },
        ],
      }),
    )
  } else res.writeHead(404).end()
}

beforeAll(async () => {
  server = createServer((req, res) => answer(new URL(req.url ?? '/', base).pathname, res))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const closed = createServer()
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
  closedPort = (closed.address() as AddressInfo).port
  await new Promise((resolve) => closed.close(resolve))
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

const read = (path: string, limits: Partial<Limits> = {}) =>
  readSource(`${base}${path}`, '+00:00', {
    limits: { ...LIMITS, ...limits },
    budget: { bytes: 0 },
  })

describe('reading feeds over http', () => {
  it('follows a chain of pages to its end', async () => {
    const source = await read('/chain/1')
    expect(source.problems).toEqual([])
    expect(source.warnings).toEqual([])
    expect(source.items.map((item) => item.guid)).toEqual(['g1', 'g2', 'g3'])
  })

  it('migrates the pages before one that answers 503, and says which did', async () => {
    const source = await read('/broken/1')
    expect(source.problems).toEqual([])
    expect(source.items.map((item) => item.guid)).toEqual(['g1', 'g2'])
    expect(source.warnings).toEqual([
      {
        where: `${base}/broken/3`,
        message: '503 Service Unavailable; the 2 pages before it are migrated, the rest is not',
      },
    ])
  })

  it('a source whose first page cannot be read is a problem: its URL and status', async () => {
    expect((await read('/down')).problems).toEqual([
      { where: `${base}/down`, message: '503 Service Unavailable' },
    ])
    const refused = await readSource(`http://127.0.0.1:${closedPort}/feed/`, '+00:00', {
      limits: LIMITS,
      budget: { bytes: 0 },
    })
    expect(refused.problems).toEqual([
      {
        where: `http://127.0.0.1:${closedPort}/feed/`,
        message: 'could not connect (ECONNREFUSED)',
      },
    ])
  })

  it('stops an endless chain of pages at the page limit', async () => {
    const source = await read('/endless/1', { pages: 4 })
    expect(source.items.map((item) => item.guid)).toEqual(['g1', 'g2', 'g3', 'g4'])
    expect(source.warnings).toHaveLength(1)
    expect(source.warnings[0]?.message).toMatch(
      new RegExp(
        `^stopped after 4 pages \\(--max-pages\\); the next was ${base}/endless/5\\?at=\\d+$`,
      ),
    )
  })

  it('stops a response that never ends at the byte limit, and one that never answers in time', async () => {
    expect((await read('/never-ending')).problems).toEqual([
      {
        where: `${base}/never-ending`,
        message: 'more than 1 MiB in one response, the limit for a feed page (--max-page-mib)',
      },
    ])
    const started = Date.now()
    expect((await read('/silent', { timeout: 300 })).problems).toEqual([
      { where: `${base}/silent`, message: 'no complete answer within 0.3 s (--timeout)' },
    ])
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('holds a run to its total bytes', async () => {
    expect(
      (await read('/never-ending', { pageBytes: 64 * 1024 * 1024, totalBytes: 2 * 1024 * 1024 }))
        .problems,
    ).toEqual([
      {
        where: `${base}/never-ending`,
        message: 'the run has read more than 2 MiB over http(s) (--max-total-mib)',
      },
    ])
  })

  it('refuses a redirect to another host unless --follow-hosts names it', async () => {
    const other = base.replace('127.0.0.1', 'localhost')
    expect((await read('/elsewhere')).problems).toEqual([
      {
        where: `${base}/elsewhere`,
        message: `answers with a redirect: ${other}/chain/1 is not followed: ${new URL(other).host} is another host than ${new URL(base).host} (--follow-hosts ${new URL(other).host} reads it)`,
      },
    ])
    const allowed = await read('/elsewhere', { hosts: new Set(['localhost']) })
    expect(allowed.problems).toEqual([])
    expect(allowed.items.map((item) => item.guid)).toEqual(['g1', 'g2', 'g3'])
  })

  it('never follows a next link to file://', async () => {
    const source = await read('/file-next')
    expect(source.items.map((item) => item.guid)).toEqual(['gf'])
    expect(source.warnings).toEqual([
      {
        where: `${base}/file-next`,
        message:
          'its next page file:///etc/passwd is not followed: only http(s) links are read, not file:',
      },
    ])
  })

  it('decodes by the HTTP charset when the document names none; JSON is UTF-8 whatever it says', async () => {
    const cyrillic = await read('/cp1251')
    expect(cyrillic.problems).toEqual([])
    expect(cyrillic.items.map((item) => item.title)).toEqual(['Привет'])
    const json = await read('/feed.json')
    expect(json.problems).toEqual([])
    expect(json.items.map((item) => item.title)).toEqual(['Crème'])
  })
})
