import { gzipSync } from 'node:zlib'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { beforeAll, describe, expect, it } from 'vitest'
import { LIST_PAGE } from '../../src/routes/lists'
import { AUTHORS, bigNewsroomApp, TAGS } from '../helpers/big-newsroom'

let get: (path: string, origin?: string) => Promise<Response>

beforeAll(() => {
  const app = bigNewsroomApp()
  get = async (path, origin = 'https://news.test') => app.request(`${origin}${path}`)
}, 120_000)

// A public origin as long as real ones get: links and copy buttons carry it.
const LONG_ORIGIN = 'https://www.the-daily-test-newsroom.example'

const links = (html: string, pattern: RegExp) =>
  [...html.matchAll(pattern)].map((m) => m[1] as string)

describe(`pages and OPML of a newsroom with ${TAGS.toLocaleString('en-US')} tags and ${AUTHORS.toLocaleString('en-US')} authors`, () => {
  it('keeps the index under 60 KB of HTML and 15 KB gzipped, linking the full lists', async () => {
    const html = await (await get('/', LONG_ORIGIN)).text()
    const bytes = new TextEncoder().encode(html)
    expect(bytes.byteLength).toBeLessThanOrEqual(60_000)
    expect(gzipSync(bytes).byteLength).toBeLessThanOrEqual(15_000)
    expect(html).toContain('<a href="/tags/">All 50,000 tags, A to Z</a>')
    expect(html).toContain('<a href="/authors/">All 2,000 authors, A to Z</a>')
    expect(html).toContain(
      '<a href="/tags.opml" type="text/x-opml">The 1,000 most used tags (OPML)</a> (1000 feeds)',
    )
    // The busiest tags: those of the newest articles.
    expect(html).toContain('<a href="/tags/t-0/">')
  })

  it('pages through every tag exactly once, in collation order, with Link headers and visible links', async () => {
    const seen: string[] = []
    let path: string | undefined = '/tags/'
    let pages = 0
    while (path) {
      const response = await get(path)
      expect(response.status, path).toBe(200)
      const html = await response.text()
      seen.push(...links(html, /<th scope="row"><a href="\/tags\/([^/]+)\/">/g))
      const next = /<(https:\/\/news\.test\/tags\/\?page=\d+)>; rel="next"/.exec(
        response.headers.get('link') ?? '',
      )?.[1]
      const nextInPage = /<a rel="next" href="([^"]+)">Next page<\/a>/.exec(html)?.[1]
      expect(nextInPage).toBe(next)
      path = next?.replace('https://news.test', '')
      pages += 1
    }
    expect(pages).toBe(Math.ceil(TAGS / LIST_PAGE))
    expect(seen).toHaveLength(TAGS)
    expect(new Set(seen).size).toBe(TAGS)
  }, 120_000)

  it('indexes letters in the order a collation gives: numbers and emoji, Latin with accents folded, Greek, Cyrillic, Hangul, kana, Han', async () => {
    const html = await (await get('/tags/')).text()
    const letters = links(html, /<a class="letter" href="[^"]+">([^<]+)<\/a>/g)
    expect(letters).toEqual(['#', 'E', 'O', 'T', 'Z', 'Ε', 'М', 'ᄉ', 'かな', '漢'])
    // Each letter links to the page it starts on.
    const zebra = /<a class="letter" href="([^"]+)">Z<\/a>/.exec(html)?.[1] as string
    const page = await (await get(zebra.split('#')[0] as string)).text()
    expect(page).toContain('<h2 id="letter-Z">Z</h2>')
    expect(zebra).toMatch(/#letter-Z$/)
  })

  it('sorts with a real collation: Été beside Écosse under E, Øresund under O, numbers by value', async () => {
    const collator = new Intl.Collator('en-US', { sensitivity: 'base', numeric: true })
    const names: string[] = []
    for (let page = 1; page <= 3; page++) {
      const html = await (await get(`/tags/${page > 1 ? `?page=${page}` : ''}`)).text()
      names.push(...links(html, /<th scope="row"><a href="[^"]+">([^<]+)<\/a>/g))
    }
    for (let i = 1; i < names.length; i++)
      expect(
        collator.compare(names[i - 1] as string, names[i] as string),
        `${names[i - 1]} ≤ ${names[i]}`,
      ).toBeLessThanOrEqual(0)
  })

  it('filters across every page, accents and case aside, without JavaScript', async () => {
    const spelled = await get('/tags/?q=ECOSSE%2042')
    expect(spelled.status).toBe(301)
    expect(spelled.headers.get('location')).toBe('https://news.test/tags/?q=ECOSSE+42')
    const html = await (await get('/tags/?q=ECOSSE+42')).text()
    expect(html).toContain('match “ECOSSE 42”')
    const found = links(html, /<th scope="row"><a href="[^"]+">([^<]+)<\/a>/g)
    expect(found.length).toBeGreaterThan(0)
    for (const name of found)
      expect(name.normalize('NFD').replace(/\p{M}/gu, '')).toMatch(/^Ecosse 42/)
  })

  it('pages through every author exactly once', async () => {
    const seen: string[] = []
    for (let page = 1; page <= Math.ceil(AUTHORS / LIST_PAGE); page++) {
      const html = await (await get(`/authors/${page > 1 ? `?page=${page}` : ''}`)).text()
      seen.push(...links(html, /<th scope="row"><a href="\/authors\/([^/]+)\/">/g))
    }
    expect(new Set(seen).size).toBe(AUTHORS)
    expect((await get(`/authors/?page=${Math.ceil(AUTHORS / LIST_PAGE) + 1}`)).status).toBe(404)
  })

  it('keeps both OPML files bounded, valid, and saying what they hold', async () => {
    const parser = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'outline' })
    for (const [path, title, feeds, limit] of [
      [
        '/feeds.opml',
        'The Daily Test: the site, its categories, curated feeds and its 100 busiest authors of 2,000 (all at /authors/)',
        // The site, 12 categories, 2 curated feeds (aggregators' feeds are not for people), 100 authors.
        1 + 12 + 2 + 100,
        60_000,
      ],
      [
        '/tags.opml',
        'The Daily Test: the 1,000 tags with the most articles, of 50,000 (all at /tags/)',
        1000,
        400_000,
      ],
    ] as const) {
      const xml = await (await get(path)).text()
      expect(XMLValidator.validate(xml), path).toBe(true)
      expect(new TextEncoder().encode(xml).byteLength, path).toBeLessThanOrEqual(limit)
      const opml = parser.parse(xml).opml
      expect(opml['@_version']).toBe('2.0')
      expect(opml.head.title).toBe(title)
      const outlines = (opml.body.outline as { outline: { '@_xmlUrl': string }[] }[]).flatMap(
        (group) => group.outline,
      )
      expect(outlines, path).toHaveLength(feeds)
      for (const outline of outlines)
        expect(outline['@_xmlUrl']).toMatch(/^https:\/\/news\.test\/.*rss\.xml$/)
    }
  })
})
