import { describe, expect, it } from 'vitest'
import { FLIPBOARD, GOOGLE_NEWS, SMARTNEWS } from '../../src/profiles/rules'
import { selectItems } from '../../src/profiles/select'
import { goodArticle, NOW, profileApp, profileContent } from '../helpers/profiles'

const SMALL_IMAGE =
  '{ url: "https://img.news.test/small.jpg", alt: "Small", credit: "Someone", width: 400, height: 300, type: "image/jpeg", length: 9000 }'
const NO_SIZE_IMAGE =
  '{ url: "https://img.news.test/nosize.jpg", alt: "No size", credit: "Someone" }'
const HTTP_IMAGE =
  '{ url: "http://img.news.test/plain.jpg", alt: "Plain", credit: "Someone", width: 1600, height: 900 }'

// One fixture per rule: a good article beside one that breaks the rule. The breaking article
// must be missing from that profile's feed, and the report must say why, in these words.
const CASES: [string, string, Record<string, string>, string | undefined, string][] = [
  [
    'msn',
    'short-title',
    { title: 'Too short' },
    undefined,
    'title-length: the title has 9 characters; MSN needs at least 21',
  ],
  [
    'msn',
    'long-title',
    { title: `"${'x'.repeat(151)}"` },
    undefined,
    'title-length: the title has 151 characters; MSN takes at most 150',
  ],
  [
    'flipboard',
    'thin',
    { summary: 'Short.' },
    'Also short.',
    "description-length: the description has 18 characters, even with the body's opening; Flipboard needs at least 300",
  ],
  [
    'flipboard',
    'no-image',
    { image: '' },
    undefined,
    'image: the article has no lead image; Flipboard needs one of at least 500 px',
  ],
  [
    'flipboard',
    'small-image',
    { image: SMALL_IMAGE },
    undefined,
    'image-size: the lead image is 400×300; Flipboard needs at least 500 px on its shortest side',
  ],
  [
    'msn',
    'unsized-image',
    { image: NO_SIZE_IMAGE },
    undefined,
    'image-size: the lead image has no width and height; MSN needs at least 720 px on its longest side',
  ],
  [
    'msn',
    'plain-http',
    { image: HTTP_IMAGE },
    undefined,
    'https: the lead image URL is not https: http://img.news.test/plain.jpg',
  ],
  [
    'msn',
    'last-year',
    { published: '2025-10-01T00:00:00Z' },
    undefined,
    'too-old: published 2025-10-01, 396 days ago; MSN skips items older than 365 days',
  ],
  [
    'msn',
    'tiny',
    {},
    'Hi.',
    'content-length: the article has 10 characters of HTML; MSN takes 450 to 500000',
  ],
]

describe('aggregator rules, one fixture each', () => {
  it.each(CASES)(
    '%s leaves out %s and reports it',
    async (profile, slug, fields, body, message) => {
      const { get, report } = await profileApp(
        profileContent({
          'content/articles/good.md': goodArticle({ slug: 'good' }),
          [`content/articles/${slug}.md`]: goodArticle({ slug, ...fields }, body),
        }),
      )
      const feed = await (await get(`/feeds/${profile}/rss.xml`)).text()
      expect(feed).toContain('<link>https://news.test/articles/good/</link>')
      expect(feed).not.toContain(`/articles/${slug}/`)
      expect(report).toContain(`${profile}: ${slug}: ${message}`)
      // The profile's page shows what its feed holds.
      const page = await (await get(`/feeds/${profile}/`)).text()
      expect(page).toContain('/articles/good/')
      expect(page).not.toContain(`/articles/${slug}/`)
      // Every other profile that has no such rule keeps it.
      expect(await (await get('/feeds/feedly/rss.xml')).text()).toContain(`/articles/${slug}/`)
    },
  )

  it("leaves out an article over Google News' 1 MB, never cutting it", async () => {
    const huge = Array.from(
      { length: 2200 },
      (_, i) => `Paragraph ${i}: ${'words and more words '.repeat(25)}`,
    ).join('\n\n')
    const { get, report } = await profileApp(
      profileContent({
        'content/articles/good.md': goodArticle({ slug: 'good' }),
        'content/articles/huge.md': goodArticle({ slug: 'huge' }, huge),
      }),
    )
    const feed = await (await get('/feeds/google-news/rss.xml')).text()
    expect(feed).not.toContain('/articles/huge/')
    expect(
      report.find((line) => line.startsWith('google-news: huge: item-bytes: the item takes ')),
    ).toMatch(/takes \d{7} bytes; Google News takes at most 1000000 per article$/)
    expect(await (await get('/feeds/feedly/rss.xml')).text()).toContain('/articles/huge/')
  })

  it('keeps the newest items within the window (MSN: 29)', async () => {
    const files = Object.fromEntries(
      Array.from({ length: 31 }, (_, i) => [
        `content/articles/a${i}.md`,
        goodArticle({
          slug: `a${i}`,
          published: `2026-10-${String(i + 1).padStart(2, '0')}T00:00:00Z`,
        }),
      ]),
    )
    const { get } = await profileApp(profileContent(files))
    const feed = await (await get('/feeds/msn/rss.xml')).text()
    expect(feed.match(/<item>/g)).toHaveLength(29)
    expect(feed).toContain('/articles/a30/')
    expect(feed).not.toContain('/articles/a1/')
  })
})

describe('byte budgets, exact to the byte', () => {
  const candidate = (id: string, bytes: number) => ({
    id,
    published: '2026-10-01T00:00:00Z',
    bytes,
    violations: [],
  })
  const items = [candidate('new', 50), candidate('mid', 30), candidate('old', 20)]

  it('keeps every item when head, tail and items take exactly the budget', () => {
    expect(selectItems({ ...SMARTNEWS, maxFeedBytes: 200 }, items, NOW, 100).chosen).toEqual([
      0, 1, 2,
    ])
  })

  it('drops the oldest item at one byte less', () => {
    const { chosen, left } = selectItems({ ...SMARTNEWS, maxFeedBytes: 199 }, items, NOW, 100)
    expect(chosen).toEqual([0, 1])
    expect(left).toEqual([
      {
        id: 'old',
        violations: [
          {
            rule: 'feed-bytes',
            detail: 'dropped, oldest first, to keep the feed within 199 bytes',
            hard: true,
          },
        ],
      },
    ])
  })

  it('skips an article that breaks a hard rule without counting it in the window', () => {
    const broken = {
      ...candidate('broken', 10),
      violations: [{ rule: 'image', detail: 'none', hard: true }],
    }
    const { chosen } = selectItems({ ...FLIPBOARD, maxItems: 2 }, [broken, ...items], NOW, 0)
    expect(chosen).toEqual([1, 2])
  })

  it('serves a SmartNews feed within 1,000,000 bytes, the next article not fitting', async () => {
    const body = Array.from(
      { length: 600 },
      (_, i) => `Paragraph ${i}: ${'SmartNews keeps files small. '.repeat(16)}`,
    ).join('\n\n')
    const files = Object.fromEntries(
      Array.from({ length: 5 }, (_, i) => [
        `content/articles/b${i}.md`,
        goodArticle({ slug: `b${i}`, published: `2026-10-0${i + 1}T00:00:00Z` }, body),
      ]),
    )
    const { get, report, bundle } = await profileApp(profileContent(files))
    const bytes = new Uint8Array(await (await get('/feeds/smartnews/rss.xml')).arrayBuffer())
    const served = new TextDecoder().decode(bytes).match(/<item>/g)?.length ?? 0
    expect(bytes.byteLength).toBeLessThanOrEqual(SMARTNEWS.maxFeedBytes as number)
    expect(served).toBeGreaterThan(0)
    expect(served).toBeLessThan(5)
    const nextOldest = bundle.articles[served] as (typeof bundle.articles)[number]
    const nextBytes = new TextEncoder().encode(nextOldest.fragments['rss@smartnews']).byteLength
    expect(bytes.byteLength + nextBytes).toBeGreaterThan(SMARTNEWS.maxFeedBytes as number)
    expect(report).toContain(
      `smartnews: (feed): feed-bytes: ${5 - served} oldest articles dropped to keep the feed within 1000000 bytes`,
    )
    expect(GOOGLE_NEWS.maxFeedBytes).toBe(2_000_000)
  })
})
