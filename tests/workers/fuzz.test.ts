import { createExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import worker from '../../src/index'

const ORIGIN = 'http://127.0.0.1:8787'
// Reflected input would show this verbatim; escaped or encoded, it is harmless.
const MARKER = '<x-fuzz>'

const segment = fc.oneof(
  fc.constantFrom(
    'categories',
    'authors',
    'tags',
    'feeds',
    'articles',
    'api',
    'assets',
    'security',
    'microsoft',
    'sean-endicott',
    'apt40',
    'security-threats',
    'rss.xml',
    'atom.xml',
    'feed.json',
    'feeds.opml',
    '..',
    '.',
    '',
    '%2e%2e',
    '%00',
    '%ff',
    '%',
    '%C3%28',
    MARKER,
  ),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
  fc.string({ unit: 'binary', maxLength: 8 }).map((s) => encodeURIComponent(s.toWellFormed())),
)
const randomPath = fc
  .array(segment, { minLength: 1, maxLength: 5 })
  .map((parts) => `/${parts.join('/')}`)
// Mostly the shapes of the URL map, with a slug or a file that may be wrong.
const mappedPath = fc
  .tuple(
    fc.constantFrom('', 'categories/', 'authors/', 'tags/', 'feeds/', 'articles/'),
    fc.oneof(
      fc.constantFrom(
        'security',
        'microsoft',
        'sean-endicott',
        'apt40',
        'hafnium',
        'security-threats',
      ),
      segment,
    ),
    fc.constantFrom('/rss.xml', '/atom.xml', '/feed.json', '/', ''),
  )
  .map(([kind, slug, file]) => (kind ? `/${kind}${slug}${file}` : file || '/'))
const path = fc.oneof({ arbitrary: mappedPath, weight: 3 }, { arbitrary: randomPath, weight: 2 })
const value = fc.oneof(
  fc.constantFrom(
    '1',
    '5',
    '20',
    '100',
    '101',
    '0',
    '-1',
    '1e20',
    'abc',
    '',
    MARKER,
    '%00',
    '99999999999',
  ),
  fc.string({ maxLength: 6 }).map(encodeURIComponent),
)
const query = fc
  .array(fc.tuple(fc.constantFrom('limit', 'page', 'utm_source', 'x', MARKER), value), {
    maxLength: 3,
  })
  .map((pairs) =>
    pairs.length ? `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join('&')}` : '',
  )
const method = fc.constantFrom(
  'GET',
  'GET',
  'GET',
  'GET',
  'GET',
  'GET',
  'HEAD',
  'OPTIONS',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'PROPFIND',
)
const printable = fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, ''))
const headers = fc.record(
  {
    'If-None-Match': fc.oneof(printable, fc.constantFrom('*', '"x"', 'W/"x"', `"${MARKER}"`)),
    'If-Modified-Since': fc.oneof(
      printable,
      fc.constantFrom('Mon, 19 Jul 2021 12:00:00 GMT', 'Fri, 31 Dec 9999 23:59:59 GMT', MARKER),
    ),
    Accept: printable,
    'X-Forwarded-Host': printable,
  },
  { requiredKeys: [] },
)

describe('request fuzzing', () => {
  it('answers thousands of random requests without a 5xx, a stack trace or reflected input', async () => {
    let errors = 0
    await fc.assert(
      fc.asyncProperty(path, query, method, headers, async (p, q, m, h) => {
        // The Worker's own default export: the pool's service binding slows down with every
        // request it has carried, which thousands of cases would measure instead of the Worker.
        const response = await worker.fetch(
          new Request(`${ORIGIN}${p}${q}`, { method: m, headers: h, redirect: 'manual' }),
          env as never,
          createExecutionContext(),
        )
        const body = await response.text()
        expect(response.status, `${m} ${p}${q}`).toBeLessThan(500)
        expect(body).not.toContain(MARKER)
        expect(response.headers.get('location') ?? '').not.toContain(MARKER)
        expect(response.headers.get('x-content-type-options')).toBe('nosniff')
        if (response.status >= 400) {
          errors += 1
          // Error bodies: one short line, never a stack trace or a source path.
          expect(body).not.toMatch(/\bat [\w.<>]+ \(|\.ts:\d+|Error: /)
          expect(response.headers.get('content-type')).toMatch(/^text\/plain|^application\/json/)
          expect(body.length).toBeLessThan(200)
        }
      }),
      { numRuns: 3000, seed: 424242 },
    )
    // The checks of error bodies above ran: the random requests include errors.
    expect(errors).toBeGreaterThan(100)
  }, 120_000)
})
