import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from '../../scripts/content-files'
import type { SeenItem } from '../helpers/readers'
import {
  readWithExtractor,
  readWithFeedparser,
  readWithFeedsmith,
  readWithRssParser,
} from '../helpers/readers'
import { type SiteCopy, startSiteCopy } from '../helpers/site-copy'
import {
  checkAtomRelaxNg,
  checkAtomRules,
  checkJsonFeed,
  checkSitemapSchema,
  checkWellFormed,
  parseWithFeedparser,
} from '../helpers/validators'

// The shipped content and feed definitions, with articles of today, of yesterday, of last year
// and one scheduled, built and served by a copy of the project. Its site URL is https, as MSN
// requires. The Worker reads the real clock, so dates are set from it, to the second.
const NOW = Date.now()
const HOUR = 3_600_000
const SITE = 'https://windows.example'
const AUTHOR = 'Sean Endicott'
const at = (offset: number) => new Date(Math.floor((NOW + offset) / 1000) * 1000).toISOString()

const shipped = (path: string) => readFileSync(join(ROOT, path), 'utf8')

interface Fixture {
  slug: string
  id: string
  title: string
  published: string
}

const PARAGRAPH =
  'Microsoft shipped the update to every supported edition of Windows and Exchange Server this morning, and administrators are asked to install it before the end of the week to stay covered.'
const BODY = Array.from({ length: 4 }, (_, i) => `${PARAGRAPH} (${i + 1})`).join('\n\n')
const LONG_SUMMARY =
  'The monthly security update closes four flaws that attackers were already using against Exchange servers, and two more in the Windows kernel; Microsoft asks every administrator to install it this week, before the details of the flaws are published and the attacks spread further, as they did in 2021 after the Hafnium campaign.'

// Today's story, with a large lead image: every feed it belongs to, and both aggregator
// profiles that need an image (Flipboard: 500 px on the shortest side; MSN: 720 on the longest).
const PATCH: Fixture = {
  slug: 'patch-tuesday-closes-exchange-flaws',
  id: 'urn:uuid:5f0c3c52-8a44-4d43-9b51-000000000001',
  title: 'Patch Tuesday closes four Exchange flaws already under attack',
  published: at(-2 * HOUR),
}
// Yesterday's, with an image too small for either profile.
const SURFACE: Fixture = {
  slug: 'surface-laptop-review',
  id: 'urn:uuid:5f0c3c52-8a44-4d43-9b51-000000000002',
  title: 'Surface Laptop review: a quiet machine with a small screen',
  published: at(-30 * HOUR),
}
// Last year's, with a large image: Flipboard takes it, MSN (under 365 days) does not.
const ARCHIVE: Fixture = {
  slug: 'windows-archive-story',
  id: 'urn:uuid:5f0c3c52-8a44-4d43-9b51-000000000003',
  title: 'Windows turns forty: the versions that shaped the desktop',
  published: at(-400 * 24 * HOUR),
}
// The shipped article, from 2021, whose lead image has no URL.
const EXCHANGE: Fixture = {
  slug: 'microsoft-exchange-server-attacks-were-carried-out-by-china-claim-us-and-uk',
  id: 'urn:uuid:86fbbfd7-e596-4aeb-98e4-32c06584ba43',
  title: 'Microsoft Exchange server attacks were carried out by China, claim U.S. and UK',
  published: '2021-07-19T12:00:00.000Z',
}
// Scheduled three days ahead: in no feed, sitemap or page until then.
const SCHEDULED: Fixture = {
  slug: 'build-conference-preview',
  id: 'urn:uuid:5f0c3c52-8a44-4d43-9b51-000000000004',
  title: 'What to expect from Build: Windows, Copilot and the new SDK',
  published: at(72 * HOUR),
}

function articleFile(a: Fixture, fields: string[], summary: string): string {
  return [
    '---',
    `id: ${a.id}`,
    `slug: ${a.slug}`,
    `title: "${a.title}"`,
    `summary: "${summary}"`,
    'author: sean-endicott',
    `published: ${a.published}`,
    ...fields,
    '---',
    '',
    BODY,
    '',
  ].join('\n')
}

const image = (name: string, width: number, height: number) =>
  `image: { url: ${SITE}/images/${name}.jpg, alt: "${name}", credit: "Windows Central", width: ${width}, height: ${height}, type: image/jpeg, length: 184320 }`

const FILES: Record<string, string> = {
  'content/site.yaml': shipped('content/site.yaml').replace(
    'url: http://127.0.0.1:8787',
    `url: ${SITE}`,
  ),
  'content/categories.yaml': shipped('content/categories.yaml'),
  'content/authors/sean-endicott.yaml': shipped('content/authors/sean-endicott.yaml'),
  'content/articles/microsoft-exchange-server-attacks-china.md': shipped(
    'content/articles/microsoft-exchange-server-attacks-china.md',
  ),
  'content/articles/patch.md': articleFile(
    PATCH,
    ['categories: [security, microsoft]', 'tags: [Exchange]', image('patch', 1200, 675)],
    LONG_SUMMARY,
  ),
  'content/articles/surface.md': articleFile(
    SURFACE,
    ['categories: [microsoft]', 'tags: [Surface]', image('surface', 400, 300)],
    'A quiet, well-made laptop let down by its small screen.',
  ),
  'content/articles/archive.md': articleFile(
    ARCHIVE,
    ['categories: [microsoft]', 'tags: [Windows]', image('archive', 1600, 900)],
    LONG_SUMMARY,
  ),
  'content/articles/scheduled.md': articleFile(
    SCHEDULED,
    ['categories: [security]', 'tags: [Exchange]', image('build', 1600, 900)],
    LONG_SUMMARY,
  ),
  ...Object.fromEntries(
    ['feedly', 'flipboard', 'google-news', 'msn', 'security-threats', 'smartnews'].map((name) => [
      `feeds/${name}.yaml`,
      shipped(`feeds/${name}.yaml`),
    ]),
  ),
}

type Format = 'rss' | 'atom' | 'json'
interface ExpectedFeed {
  path: string
  title: string
  formats: Format[]
  items: Fixture[]
  profile?: true
}

const EVERY: Format[] = ['rss', 'atom', 'json']
const ALL = [PATCH, SURFACE, ARCHIVE, EXCHANGE]
const tag = (slug: string, name: string, items: Fixture[]): ExpectedFeed => ({
  path: `tags/${slug}`,
  title: `Windows Central: ${name}`,
  formats: EVERY,
  items,
})

// Every feed the site serves, and what each must hold, newest first (FEED-RULES.md; the
// aggregators' rules in src/profiles/rules.ts, each source cited there).
const FEEDS: ExpectedFeed[] = [
  { path: '', title: 'Windows Central', formats: EVERY, items: ALL },
  {
    path: 'categories/microsoft',
    title: 'Windows Central: Microsoft',
    formats: EVERY,
    items: ALL,
  },
  {
    path: 'categories/security',
    title: 'Windows Central: Security',
    formats: EVERY,
    items: [PATCH, EXCHANGE],
  },
  {
    path: 'authors/sean-endicott',
    title: 'Windows Central: Sean Endicott',
    formats: EVERY,
    items: ALL,
  },
  tag('apt31', 'APT31', [EXCHANGE]),
  tag('apt40', 'APT40', [EXCHANGE]),
  tag('china', 'China', [EXCHANGE]),
  tag('cyberattacks', 'Cyberattacks', [EXCHANGE]),
  tag('exchange', 'Exchange', [PATCH, EXCHANGE]),
  tag('hafnium', 'Hafnium', [EXCHANGE]),
  tag('surface', 'Surface', [SURFACE]),
  tag('windows', 'Windows', [ARCHIVE]),
  // Category security, or a tag among Hafnium, APT40, APT31.
  {
    path: 'feeds/security-threats',
    title: 'Security threats',
    formats: EVERY,
    items: [PATCH, EXCHANGE],
  },
  {
    path: 'feeds/feedly',
    title: 'Windows Central for Feedly',
    formats: ['rss'],
    items: ALL,
    profile: true,
  },
  // A lead image of 500 px on its shortest side: Surface's is 300, Exchange's has no URL.
  {
    path: 'feeds/flipboard',
    title: 'Windows Central for Flipboard',
    formats: ['rss'],
    items: [PATCH, ARCHIVE],
    profile: true,
  },
  {
    path: 'feeds/google-news',
    title: 'Windows Central for Google News',
    formats: ['rss', 'atom'],
    items: ALL,
    profile: true,
  },
  // Under 365 days old and an image of 720 px on its longest side: today's story only.
  {
    path: 'feeds/msn',
    title: 'Windows Central for MSN',
    formats: ['rss'],
    items: [PATCH],
    profile: true,
  },
  {
    path: 'feeds/smartnews',
    title: 'Windows Central for SmartNews',
    formats: ['rss'],
    items: ALL,
    profile: true,
  },
]

const FILE: Record<Format, string> = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' }
const MEDIA: Record<Format, string> = {
  rss: 'application/rss+xml',
  atom: 'application/atom+xml',
  json: 'application/feed+json',
}
const fileOf = (path: string, format: Format) => `/${path ? `${path}/` : ''}${FILE[format]}`
const articlePath = (a: Fixture) => `/articles/${a.slug}/`
const seen = (items: Fixture[]): SeenItem[] =>
  items.map((a) => ({
    id: a.id,
    title: a.title,
    link: `${SITE}${articlePath(a)}`,
    published: a.published,
    author: AUTHOR,
  }))
const withoutAuthor = (items: SeenItem[]) => items.map(({ author: _author, ...rest }) => rest)

const served = FEEDS.flatMap((feed) => feed.formats.map((format) => [feed, format] as const))
const unserved = FEEDS.flatMap((feed) =>
  EVERY.filter((f) => !feed.formats.includes(f)).map((format) => [feed, format] as const),
)
const label = ([feed, format]: readonly [ExpectedFeed, Format]) =>
  `${feed.path || '(site)'} ${format}`

let copy: SiteCopy
const bodies = new Map<string, string>()
const unservedStatus = new Map<string, number>()
const body = (feed: ExpectedFeed, format: Format) => bodies.get(fileOf(feed.path, format)) as string

beforeAll(async () => {
  copy = await startSiteCopy(FILES)
  for (const [feed, format] of served) {
    const path = fileOf(feed.path, format)
    const response = await copy.worker.get(path)
    expect(response.status, path).toBe(200)
    expect(response.headers.get('content-type'), path).toBe(`${MEDIA[format]}; charset=utf-8`)
    bodies.set(path, await response.text())
  }
  // Asked here with the others, in one stretch of requests on the same connections.
  for (const [feed, format] of unserved) {
    const path = fileOf(feed.path, format)
    const response = await copy.worker.get(path)
    await response.arrayBuffer()
    unservedStatus.set(path, response.status)
  }
}, 300_000)

afterAll(() => copy?.worker.dispose())

describe('the fixture site', () => {
  it('serves the feeds written out above: 13 for people, 5 for aggregators', () => {
    expect(FEEDS.filter((f) => !f.profile)).toHaveLength(13)
    expect(served).toHaveLength(13 * 3 + 6)
    expect(bodies.size).toBe(served.length)
  })

  it('keeps the scheduled article out of its page until its minute', async () => {
    expect((await copy.worker.get(articlePath(SCHEDULED))).status).toBe(404)
    expect((await copy.worker.get(articlePath(PATCH))).status).toBe(200)
  })
})

describe('OPML', () => {
  it('is well-formed and lists each feed for people twice, every URL answering 200', async () => {
    const opml = await (await copy.worker.get('/feeds.opml')).text()
    const tags = await (await copy.worker.get('/tags.opml')).text()
    expect(checkWellFormed(opml)).toBe(true)
    expect(checkWellFormed(tags)).toBe(true)
    const urls = [...`${opml}${tags}`.matchAll(/(?:xmlUrl|htmlUrl)="([^"]+)"/g)].map(
      (m) => m[1] as string,
    )
    // An xmlUrl and an htmlUrl per feed for people (tags in tags.opml); aggregator feeds in neither.
    expect(urls).toHaveLength(13 * 2)
    expect(urls.some((url) => url.includes('/feeds/msn/'))).toBe(false)
    for (const url of urls) {
      const { pathname, search } = new URL(url)
      expect((await copy.worker.get(pathname + search)).status, url).toBe(200)
    }
  })
})

describe('sitemaps', () => {
  const locsOf = (xml: string, element: 'url' | 'sitemap') =>
    [...xml.matchAll(new RegExp(`<${element}><loc>([^<]+)</loc>`, 'g'))].map((m) => m[1] as string)
  const pathOf = (url: string) => new URL(url).pathname

  it('robots.txt names the sitemap index, whose sitemaps list every published article', async () => {
    const robots = await (await copy.worker.get('/robots.txt')).text()
    const named = [...robots.matchAll(/^Sitemap: (.+)$/gm)].map((m) => m[1] as string)
    expect(named.map(pathOf)).toEqual(['/sitemap.xml', '/news-sitemap.xml'])
    const index = await (await copy.worker.get('/sitemap.xml')).text()
    expect(checkSitemapSchema(index, 'siteindex.xsd')).toBe('')
    const listed: string[] = []
    for (const sitemap of locsOf(index, 'sitemap')) {
      const xml = await (await copy.worker.get(pathOf(sitemap))).text()
      expect(checkSitemapSchema(xml, 'sitemap.xsd'), sitemap).toBe('')
      listed.push(...locsOf(xml, 'url'))
    }
    expect(listed.map(pathOf).sort()).toEqual(ALL.map(articlePath).sort())
  })

  it('the news sitemap holds the articles of the last 48 hours, valid against the news schema', async () => {
    const xml = await (await copy.worker.get('/news-sitemap.xml')).text()
    expect(checkSitemapSchema(xml, 'urlset-with-news.xsd')).toBe('')
    expect(locsOf(xml, 'url').map(pathOf).sort()).toEqual([PATCH, SURFACE].map(articlePath).sort())
    expect(xml).toContain(`<news:title>${PATCH.title}</news:title>`)
    expect(xml).toContain(`<news:publication_date>${PATCH.published.replace('.000Z', 'Z')}`)
  })
})

describe.each(
  served.filter(([, f]) => f !== 'json').map((pair) => [label(pair), ...pair] as const),
)('XML feed %s', (_label, feed, format) => {
  it('names itself and links rel=self to the URL it was fetched from', () => {
    const parsed = parseWithFeedparser(body(feed, format))
    expect(parsed.feed.title).toBe(feed.title)
    expect(parsed.feed.links.filter((l) => l.rel === 'self').map((l) => l.href)).toEqual([
      new URL(fileOf(feed.path, format), copy.worker.url).href,
    ])
  })

  it('is well-formed, bozo-free, valid, and every reader sees its articles', async () => {
    const xml = body(feed, format)
    expect(checkWellFormed(xml)).toBe(true)
    const parsed = parseWithFeedparser(xml)
    expect(parsed.bozo, parsed.bozo_exception).toBe(false)
    expect(parsed.version).toBe(format === 'rss' ? 'rss20' : 'atom10')
    expect(format === 'rss' ? '' : checkAtomRelaxNg(xml)).toBe('')
    expect(format === 'rss' ? [] : checkAtomRules(xml)).toEqual([])
    const expected = seen(feed.items)
    expect(readWithFeedparser(xml)).toEqual(expected)
    expect(await readWithRssParser(xml)).toEqual(expected)
    expect(readWithFeedsmith(xml, format)).toEqual(expected)
    expect(readWithExtractor(xml, format)).toEqual(withoutAuthor(expected))
  })
})

describe.each(
  served.filter(([, f]) => f === 'json').map((pair) => [label(pair), ...pair] as const),
)('JSON Feed %s', (_label, feed) => {
  it('names itself, passes the 1.1 schema, and every reader sees its articles', () => {
    const json = body(feed, 'json')
    const parsed = JSON.parse(json)
    expect(parsed.title).toBe(feed.title)
    expect(parsed.feed_url).toBe(new URL(fileOf(feed.path, 'json'), copy.worker.url).href)
    expect(checkJsonFeed(parsed)).toEqual([])
    expect(readWithFeedsmith(json, 'json')).toEqual(seen(feed.items))
    expect(readWithExtractor(json, 'json')).toEqual(withoutAuthor(seen(feed.items)))
  })
})

// An aggregator that takes only RSS gets no Atom or JSON twin to pick up by mistake.
describe.each(unserved.map((pair) => [label(pair), ...pair] as const))(
  'unserved format %s',
  (_label, feed, format) => {
    it('answers 404', () => {
      expect(unservedStatus.get(fileOf(feed.path, format))).toBe(404)
    })
  },
)
