import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { XMLValidator } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { sameSecret } from '../../src/http/secret'
import { createApi, MAX_BODY_BYTES } from '../../src/routes/api'
import { createApp } from '../../src/routes/app'
import { D1Store } from '../../src/store/d1'
import { contractCatalog } from '../helpers/catalog'
import { API_TOKEN } from '../helpers/tokens'

const bindings = env as unknown as { DB: D1Database; API_TOKEN: string }
const store = new D1Store(bindings.DB, { ...contractCatalog(), tags: [] }, { ttl: 0 })
const app = createApp(() => store, { api: createApi() })
const ORIGIN = 'https://news.test'
const AUTH = { authorization: `Bearer ${API_TOKEN}` }

let counter = 0
function newId(): string {
  counter += 1
  return `urn:uuid:aaaaaaaa-0000-4000-8000-${String(counter).padStart(12, '0')}`
}

async function call(
  method: string,
  path: string,
  init: { body?: unknown; headers?: Record<string, string>; env?: object } = {},
) {
  const ctx = createExecutionContext()
  const body =
    init.body === undefined
      ? undefined
      : typeof init.body === 'string'
        ? init.body
        : JSON.stringify(init.body)
  const request = new Request(`${ORIGIN}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...init.headers },
    ...(body === undefined ? {} : { body }),
  })
  const response = await app.fetch(request, init.env ?? bindings, ctx)
  const text = await response.text()
  await waitOnExecutionContext(ctx)
  return {
    status: response.status,
    headers: response.headers,
    text,
    json:
      text && response.headers.get('content-type')?.startsWith('application/json')
        ? JSON.parse(text)
        : undefined,
  }
}

let slugs = 0

/** A valid request body with a slug of its own, so that tests never collide on one. */
function article(overrides: Record<string, unknown> = {}) {
  slugs += 1
  return {
    slug: `story-${slugs}`,
    title: 'Engines of change',
    summary: 'Why engines matter.',
    author: 'ada-lovelace',
    published: '2026-03-02T10:00:00Z',
    categories: ['science'],
    tags: ['Engines'],
    body: 'The *body*, with a [link](../other/).',
    ...overrides,
  }
}

const put = (id: string, body: unknown, headers: Record<string, string> = {}) =>
  call('PUT', `/api/articles/${id}`, { body, headers: { ...AUTH, ...headers } })

describe('publish API: access', () => {
  it('is off (404) when no token is configured', async () => {
    const response = await call('GET', `/api/articles/${newId()}`, {
      headers: AUTH,
      env: { DB: bindings.DB },
    })
    expect(response.status).toBe(404)
  })

  it.each([
    ['no Authorization header', {}],
    ['a wrong token', { authorization: `Bearer ${API_TOKEN.slice(0, -1)}x` }],
    ['a prefix of the token', { authorization: `Bearer ${API_TOKEN.slice(0, 20)}` }],
    ['another scheme', { authorization: 'Basic dGVzdC10b2tlbg==' }],
  ])('answers %s with 401 and WWW-Authenticate', async (_name, headers) => {
    const response = await call('GET', `/api/articles/${newId()}`, { headers })
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="newswire"')
    expect(response.headers.get('cache-control')).toBe('no-store')
  })

  it('compares tokens through fixed-length digests', async () => {
    expect(await sameSecret('test-token', 'test-token')).toBe(true)
    expect(await sameSecret('test-toke', 'test-token')).toBe(false)
    expect(await sameSecret('x'.repeat(10_000), 'test-token')).toBe(false)
    expect(await sameSecret('', 'test-token')).toBe(false)
  })

  it('answers 404 for an id that is not a UUID', async () => {
    expect((await call('GET', '/api/articles/not-a-uuid', { headers: AUTH })).status).toBe(404)
  })
})

describe('publish API: writes', () => {
  it('creates (201), reads back (200 with the same ETag), and leaves an identical re-publish unchanged', async () => {
    const id = newId()
    const created = await put(id, article({ slug: undefined }))
    expect(created.status).toBe(201)
    expect(created.headers.get('location')).toBe(`${ORIGIN}/api/articles/${id}`)
    expect(created.json).toMatchObject({
      status: 'created',
      id,
      slug: 'engines-of-change',
      url: 'https://news.test/articles/engines-of-change/',
    })
    const etag = created.headers.get('etag')
    const read = await call('GET', `/api/articles/${id}`, { headers: AUTH })
    expect(read.status).toBe(200)
    expect(read.headers.get('etag')).toBe(etag)
    expect(read.json.contentHtml).toBe(
      '<p>The <em>body</em>, with a <a href="https://news.test/articles/other/">link</a>.</p>',
    )
    const again = await put(id, article({ slug: undefined }))
    expect(again.status).toBe(200)
    expect(again.json.status).toBe('unchanged')
    expect(again.headers.get('etag')).toBe(etag)
    // The same with the `updated` it already has, sent explicitly.
    const explicit = await put(id, article({ slug: undefined, updated: created.json.updated }))
    expect(explicit.json.status).toBe('unchanged')
    expect(explicit.headers.get('etag')).toBe(etag)
  })

  it('rewrites an unchanged re-publish whose stored fragments an older build rendered', async () => {
    const id = newId()
    const body = article()
    const created = await put(id, body)
    // As a build before the Flipboard profile would have stored it: no fragments for it.
    await bindings.DB.prepare("DELETE FROM fragments WHERE id = ? AND key LIKE '%@%'")
      .bind(id)
      .run()
    const again = await put(id, body)
    expect(again.json.status).toBe('replaced')
    // Nothing in the article changed: its date of last change does not move.
    expect(again.json.updated).toBe(created.json.updated)
    const { results } = await bindings.DB.prepare('SELECT key FROM fragments WHERE id = ?')
      .bind(id)
      .all<{ key: string }>()
    expect(results.map((row) => row.key)).toContain('violations@flipboard')
  })

  it('keeps the id, slug and publication date on a retitled re-publish, and moves updated', async () => {
    const id = newId()
    await put(id, article({ title: 'First headline', slug: undefined }))
    const replaced = await put(id, article({ title: 'A better headline', slug: undefined }))
    expect(replaced.status).toBe(200)
    expect(replaced.json).toMatchObject({
      status: 'replaced',
      id,
      slug: 'first-headline',
      published: '2026-03-02T10:00:00.000Z',
    })
    expect(replaced.json.updated > replaced.json.published).toBe(true)
  })

  it('refuses to move published backwards (409)', async () => {
    const id = newId()
    await put(id, article())
    const response = await put(id, article({ published: '2026-03-01T10:00:00Z' }))
    expect(response.status).toBe(409)
    expect(response.json.errors).toEqual([
      {
        field: 'published',
        message: 'would move back from 2026-03-02T10:00:00.000Z; send that date or a later one',
      },
    ])
  })

  it('lists every problem of an invalid article (400)', async () => {
    const response = await put(newId(), {
      title: 'Bell\u0007',
      author: 'nobody',
      published: 'yesterday',
      categories: ['sport'],
      colour: 'red',
      body: 'x',
    })
    expect(response.status).toBe(400)
    expect(response.json.errors).toEqual([
      { field: 'title', message: 'holds U+0007 at column 5' },
      { field: 'published', message: 'must be an RFC 3339 date-time with a zone, got "yesterday"' },
      { field: 'colour', message: 'is not a known field' },
    ])
  })

  it('reports unknown authors and categories (400)', async () => {
    const response = await put(
      newId(),
      article({ author: 'nobody', categories: ['science', 'sport'] }),
    )
    expect(response.status).toBe(400)
    expect(response.json.errors).toEqual([
      { field: 'author', message: 'names an unknown author "nobody"' },
      { field: 'categories.1', message: 'names an unknown category "sport"' },
    ])
  })

  it('refuses a body that is not JSON, or has both or neither body fields (400)', async () => {
    expect((await put(newId(), '{"title": ')).status).toBe(400)
    const both = await put(newId(), article({ body_html: '<p>x</p>' }))
    expect(both.json.errors).toEqual([
      { field: 'body', message: 'give the article as exactly one of body (Markdown) or body_html' },
    ])
  })

  it('refuses a body over 1 MB (413), declared or streamed without a length', async () => {
    const response = await put(newId(), article({ body: 'x'.repeat(MAX_BODY_BYTES) }))
    expect(response.status).toBe(413)
    // A chunked body: no Content-Length, so only reading it finds it too large.
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024))
    let sent = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1
        if (sent > 32) controller.close()
        else controller.enqueue(chunk)
      },
    })
    const id = newId()
    const request = new Request(`${ORIGIN}/api/articles/${id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...AUTH },
      body: stream,
      // @ts-expect-error: a streamed request body needs the half-duplex mode
      duplex: 'half',
    })
    expect(request.headers.get('content-length')).toBeNull()
    const ctx = createExecutionContext()
    const streamed = await app.fetch(request, bindings, ctx)
    await waitOnExecutionContext(ctx)
    expect(streamed.status).toBe(413)
    // It stopped reading soon after the limit: 17 chunks of 64 KiB, not all 32.
    expect(sent).toBeLessThan(32)
  })

  it('refuses an article that would not fit one D1 row (413)', async () => {
    // 450 KB of request, under the body limit; as HTML every & is &amp;: 2.25 MB in each row.
    const response = await put(newId(), article({ body: '&'.repeat(450_000) }))
    expect(response.status).toBe(413)
    expect(response.json.errors[0].message).toMatch(
      /^renders the article to \d+ bytes; the store holds at most 1990000 in one$/,
    )
    expect(response.json.errors.map((e: { message: string }) => e.message)).toContainEqual(
      expect.stringMatching(/^renders its rss item to \d+ bytes/),
    )
  })

  it('sanitises an HTML body like content/', async () => {
    const id = newId()
    await put(
      id,
      article({
        body: undefined,
        body_html:
          '<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:alert(1)">j</a><img src="/i.png"></p>',
      }),
    )
    const read = await call('GET', `/api/articles/${id}`, { headers: AUTH })
    expect(read.json.contentHtml).toBe('<p>Hi <a>j</a><img src="https://news.test/i.png"></p>')
  })

  it('makes an update conditional with If-Match (412 on a stale ETag)', async () => {
    const id = newId()
    const first = await put(id, article())
    const etag = first.headers.get('etag') as string
    const second = await put(id, article({ title: 'Changed' }), { 'if-match': etag })
    expect(second.status).toBe(200)
    const stale = await put(id, article({ title: 'Changed again' }), { 'if-match': etag })
    expect(stale.status).toBe(412)
    expect((await put(newId(), article(), { 'if-match': '*' })).status).toBe(412)
  })

  it('compares If-Match strongly, member by member', async () => {
    const id = newId()
    const etag = (await put(id, article())).headers.get('etag') as string
    const weak = await put(id, article({ title: 'Weak' }), { 'if-match': `W/${etag}` })
    expect(weak.status).toBe(412)
    const mixed = await put(id, article({ title: 'Mixed' }), {
      'if-match': `W/"other", ${etag}`,
    })
    expect(mixed.status).toBe(200)
  })

  it('keeps one whole article under concurrent writes: the last complete write wins', async () => {
    const id = newId()
    await put(id, article())
    const titles = Array.from({ length: 8 }, (_, i) => `Version ${i}`)
    await Promise.all(titles.map((title, i) => put(id, article({ title, tags: [`Tag${i}`] }))))
    const read = (await call('GET', `/api/articles/${id}`, { headers: AUTH })).json
    const n = titles.indexOf(read.title)
    expect(n).toBeGreaterThanOrEqual(0)
    expect(read.tags).toEqual([{ slug: `tag${n}`, name: `Tag${n}` }])
    const { results } = await bindings.DB.prepare(
      "SELECT slug FROM memberships WHERE id = ? AND kind = 'tag'",
    )
      .bind(id)
      .all<{ slug: string }>()
    expect(results.map((r) => r.slug)).toEqual([`tag${n}`])
  })

  it('deletes (204), then answers 404', async () => {
    const id = newId()
    await put(id, article())
    expect((await call('DELETE', `/api/articles/${id}`, { headers: AUTH })).status).toBe(204)
    expect((await call('GET', `/api/articles/${id}`, { headers: AUTH })).status).toBe(404)
    expect((await call('DELETE', `/api/articles/${id}`, { headers: AUTH })).status).toBe(404)
  })

  it('refuses other methods (405 with Allow)', async () => {
    const response = await call('POST', `/api/articles/${newId()}`, { headers: AUTH })
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('GET, HEAD, PUT, DELETE')
  })
})

describe('real content through the API', () => {
  it('publishes an untitled article with attachments into D1 and every format', async () => {
    const id = newId()
    const response = await put(
      id,
      article({
        title: undefined,
        summary: undefined,
        body: 'Bridge closed overnight on the north side while crews replace the expansion joints.',
        attachments: [
          { url: '/media/bridge.mp3', type: 'audio/mpeg', length: 1200, duration: 95 },
          { url: 'https://files.example/plan.pdf', type: 'application/pdf', title: 'Plan' },
        ],
      }),
    )
    expect(response.status).toBe(201)
    const json = JSON.parse((await call('GET', '/feed.json')).text)
    const item = json.items.find((i: { id: string }) => i.id === id)
    expect(item.title).toBeUndefined()
    expect(item.attachments).toEqual([
      {
        url: 'https://news.test/media/bridge.mp3',
        mime_type: 'audio/mpeg',
        size_in_bytes: 1200,
        duration_in_seconds: 95,
      },
      { url: 'https://files.example/plan.pdf', mime_type: 'application/pdf', title: 'Plan' },
    ])
    const atom = (await call('GET', '/atom.xml')).text
    expect(atom).toContain(
      '<title type="text">Bridge closed overnight on the north side while crews replace the expansion…</title>',
    )
    expect((await call('GET', '/rss.xml')).text).toContain(
      '<enclosure url="https://news.test/media/bridge.mp3" length="1200" type="audio/mpeg"/>',
    )
  })
})

describe('hostile articles through the API', () => {
  it('strips what XML forbids (lone surrogates included) and keeps every feed well-formed', async () => {
    const id = newId()
    // C0 controls in a field are refused (400, above); in the body they are removed.
    const title = 'Lone \ud800 surrogate, ]]> twice ]]>, <script>alert(1)</script> 🚀'
    const response = await put(
      id,
      article({
        title,
        tags: ['Hostile \udc00 tag'],
        body: undefined,
        body_html: '<p>x</p>]]><iframe src=x></iframe>\u0000<p onclick=1>y',
      }),
    )
    expect(response.status).toBe(201)
    for (const path of ['/rss.xml', '/atom.xml', '/tags/hostile-tag/rss.xml']) {
      const xml = (await call('GET', path)).text
      expect(XMLValidator.validate(xml), path).toBe(true)
      expect(xml.isWellFormed(), path).toBe(true)
      // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for what must not be there
      expect(xml, path).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/)
      expect(xml, path).not.toMatch(/<iframe|onclick/)
    }
    const json = JSON.parse((await call('GET', '/feed.json')).text)
    expect(json.items.find((i: { id: string }) => i.id === id).title).toBe(
      'Lone  surrogate, ]]> twice ]]>, <script>alert(1)</script> 🚀',
    )
  })
})

describe('aggregator profiles on the D1 store', () => {
  // What Flipboard needs: a lead image of 500 px or more, and a body long enough for 300
  // characters of description.
  const bigImage = (name: string) => ({
    url: `https://img.news.test/${name}.jpg`,
    alt: name,
    credit: 'Jo',
    width: 1200,
    height: 800,
    type: 'image/jpeg',
    length: 1000,
  })
  const long = Array.from(
    { length: 8 },
    (_, i) => `Paragraph ${i} with words enough for a description.`,
  ).join('\n\n')

  it("keeps an article that meets Flipboard's rules and leaves out one without an image", async () => {
    await put(newId(), article({ title: 'With a big image', image: bigImage('big'), body: long }))
    await put(newId(), article({ title: 'Without any image', body: long }))
    const feed = (await call('GET', '/feeds/flipboard/rss.xml')).text
    expect(feed).toContain('<title>With a big image</title>')
    expect(feed).not.toContain('Without any image')
    expect(feed).toMatch(/<description>[^<]{300,}<\/description>/)
    expect((await call('GET', '/feeds/flipboard/atom.xml')).status).toBe(404)
  })

  it('leaves out an article no build has checked against the profile yet', async () => {
    const id = newId()
    await put(
      id,
      article({ title: 'Checked then forgotten', image: bigImage('unchecked'), body: long }),
    )
    expect((await call('GET', '/feeds/flipboard/rss.xml')).text).toContain('Checked then forgotten')
    // As a row written by a build that had no Flipboard profile: no item or check of its own.
    await bindings.DB.prepare("DELETE FROM fragments WHERE id = ? AND key LIKE '%@%'")
      .bind(id)
      .run()
    await bindings.DB.prepare(
      "UPDATE feed_stats SET revision = 'unchecked' WHERE kind = 'site'",
    ).run()
    const feed = await call('GET', '/feeds/flipboard/rss.xml')
    expect(feed.status).toBe(200)
    expect(feed.text).not.toContain('Checked then forgotten')
  })
})

describe('feed statistics', () => {
  it('stay exact (count and newest update per feed) through concurrent writes, edits and deletes', async () => {
    const ids = Array.from({ length: 6 }, newId)
    await Promise.all(
      ids.map((id, i) =>
        put(
          id,
          article({ categories: i % 2 ? ['culture'] : ['science'], tags: [`Batch${i % 3}`] }),
        ),
      ),
    )
    await Promise.all([
      put(
        ids[0] as string,
        article({ categories: ['culture'], tags: ['Batch9'], updated: '2026-04-01T00:00:00Z' }),
      ),
      call('DELETE', `/api/articles/${ids[1]}`, { headers: AUTH }),
      call('DELETE', `/api/articles/${ids[1]}`, { headers: AUTH }),
      put(ids[2] as string, article({ author: 'grace-hopper' })),
    ])
    const kept = await bindings.DB.prepare(
      'SELECT kind, slug, count, updated FROM feed_stats WHERE count > 0 ORDER BY kind, slug',
    ).all()
    const exact = await bindings.DB.prepare(
      'SELECT kind, slug, COUNT(*) AS count, MAX(updated) AS updated FROM memberships GROUP BY kind, slug ORDER BY kind, slug',
    ).all()
    expect(kept.results).toEqual(exact.results)
    const orphans = await bindings.DB.prepare(
      "SELECT slug FROM tags WHERE slug NOT IN (SELECT slug FROM memberships WHERE kind = 'tag')",
    ).all()
    expect(orphans.results).toEqual([])
  })
})

describe('publishing and the feeds', () => {
  it('shows a published article in its feeds with a new ETag and a cache miss, and removes it on delete', async () => {
    const before = await call('GET', '/categories/culture/rss.xml')
    const id = newId()
    await put(id, article({ title: 'Opera tonight', categories: ['culture'], tags: ['Music'] }))
    const after = await call('GET', '/categories/culture/rss.xml')
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'))
    expect(after.headers.get('x-cache')).toBe('MISS')
    expect(after.text).toContain('<title>Opera tonight</title>')
    for (const path of [
      '/rss.xml',
      '/tags/music/atom.xml',
      '/authors/ada-lovelace/feed.json',
      '/feeds/picks/rss.xml',
    ]) {
      expect((await call('GET', path)).text, path).toContain('Opera tonight')
    }
    await call('DELETE', `/api/articles/${id}`, { headers: AUTH })
    for (const path of [
      '/rss.xml',
      '/categories/culture/rss.xml',
      '/authors/ada-lovelace/feed.json',
      '/feeds/picks/rss.xml',
    ]) {
      const response = await call('GET', path)
      expect(response.headers.get('x-cache'), path).toBe('MISS')
      expect(response.text, path).not.toContain('Opera tonight')
    }
    expect((await call('GET', '/tags/music/rss.xml')).status).toBe(404)
  })

  it('lists a published article in the sitemaps and the news sitemap, and no longer after a delete', async () => {
    const id = newId()
    // Published a minute ago on the real clock: within the news sitemap's 48 hours.
    const published = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000).toISOString()
    const body = article({ title: 'Chips & <salsa>', published })
    const loc = `<loc>${ORIGIN}/articles/${body.slug}/</loc>`
    const before = await call('GET', '/sitemaps/articles-1.xml')
    await put(id, body)
    const after = await call('GET', '/sitemaps/articles-1.xml')
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'))
    expect(after.text).toContain(`${loc}<lastmod>${published.replace('.000Z', 'Z')}</lastmod>`)
    const news = await call('GET', '/news-sitemap.xml')
    expect(news.text).toContain(loc)
    expect(news.text).toContain('<news:title>Chips &amp; &lt;salsa&gt;</news:title>')
    expect(XMLValidator.validate(news.text)).toBe(true)
    await call('DELETE', `/api/articles/${id}`, { headers: AUTH })
    for (const path of ['/sitemaps/articles-1.xml', '/news-sitemap.xml'])
      expect((await call('GET', path)).text, path).not.toContain(loc)
  })
})

describe('publish API: bodies beyond the limits', () => {
  // The bodies the review sent (issue 19), each with the one answer it must get: 400 naming
  // the limit, never a 5xx from a stack overflow or a worker out of time.
  const cases: [string, Record<string, string>, string][] = [
    [
      "'>' × 2,000",
      { body: '>'.repeat(2000) },
      'nests blockquotes 2,000 deep (line 1); at most 32',
    ],
    [
      "'<div>' × 5,000",
      { body: '<div>'.repeat(5000) },
      'nests HTML elements 5,000 deep (line 1); at most 256',
    ],
    [
      "'<div>' × 5,000 as body_html",
      { body_html: '<div>'.repeat(5000) },
      'nests HTML elements 5,000 deep (line 1); at most 256',
    ],
    [
      "'**_' × 20,000",
      { body: '**_'.repeat(20_000) },
      'has a paragraph with 40,000 runs of emphasis delimiters (* _ ~) (line 1); at most 1,000',
    ],
    [
      'a table 2,000 columns wide',
      { body: `${'| a '.repeat(2000)}|\n${'|---'.repeat(2000)}|\n` },
      'has a table row 2,000 cells wide (line 1); at most 64',
    ],
    [
      "'- ' × 5,000",
      { body: `${'- '.repeat(5000)}a` },
      'nests lists 5,000 deep (line 1); at most 32',
    ],
    [
      "'[' × 5,000",
      { body: '['.repeat(5000) },
      'opens 5,000 [ brackets in a paragraph (line 1); at most 32',
    ],
    // 4,000 quotes 32 deep, each with its paragraph: 132,000 elements, past 100,000 on line
    // 6,251 (the first quote of the 3,126th).
    [
      '4,000 quotes at their depth limit',
      { body: `${'>'.repeat(32)} a\n\n`.repeat(4000) },
      'makes more than 100,000 HTML elements (line 6,251)',
    ],
    [
      "'<br>' × 100,001 as body_html",
      { body_html: '<br>'.repeat(100_001) },
      'makes more than 100,000 HTML elements (line 1)',
    ],
  ]
  for (const [name, body, message] of cases)
    it(`answers ${name} with 400 naming the limit`, async () => {
      const { body: _, ...rest } = article()
      const response = await put(newId(), { ...rest, ...body })
      expect(response.status).toBe(400)
      expect(response.json.errors).toEqual([{ field: 'body', message }])
    })
})
