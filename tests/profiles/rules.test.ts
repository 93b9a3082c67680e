import { describe, expect, it } from 'vitest'
import { checkArticle } from '../../src/profiles/check'
import { renderProfileFragments } from '../../src/profiles/fragments'
import { FLIPBOARD, GOOGLE_NEWS, SMARTNEWS } from '../../src/profiles/rules'
import { selectItems } from '../../src/profiles/select'
import { renderFragments } from '../../src/render/formats'
import { makeArticle } from '../helpers/builders'
import { goodArticle, HTTPS_SITE, NOW, profileApp, profileContent } from '../helpers/profiles'

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
    'too-old: published 2025-10-01, 396 days ago; MSN takes items less than 365 days old',
  ],
  [
    'msn',
    'a-year-ago',
    { published: '2025-11-01T00:00:00Z' },
    undefined,
    'too-old: published 2025-11-01, 365 days ago; MSN takes items less than 365 days old',
  ],
  [
    'msn',
    'plain-http-inline',
    {},
    `${'A paragraph of the story, long enough to count as an article for MSN. '.repeat(8)}\n\n![Inline](http://img.news.test/inline.jpg)`,
    'https: an image or media URL in the body is not https: http://img.news.test/inline.jpg',
  ],
  [
    'msn',
    'endless',
    {},
    'All work and no play. '.repeat(23_000),
    'content-length: the article has 506006 characters of HTML; MSN takes 450 to 500000',
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

  it('leaves an untitled article out of every aggregator feed and keeps it in the site feed', async () => {
    const { get, report } = await profileApp(
      profileContent({
        'content/articles/good.md': goodArticle({ slug: 'good' }),
        'content/articles/untitled.md': goodArticle({ slug: 'untitled', title: '' }),
      }),
    )
    for (const profile of ['google-news', 'flipboard', 'msn', 'smartnews', 'feedly']) {
      const feed = await (await get(`/feeds/${profile}/rss.xml`)).text()
      expect(feed, profile).toContain('/articles/good/')
      expect(feed, profile).not.toContain('/articles/untitled/')
    }
    expect(report).toContain(
      'msn: untitled: title-missing: the article has no title; MSN lists items by their headline',
    )
    expect(report).not.toContain('msn: untitled: title-length')
    expect(await (await get('/rss.xml')).text()).toContain('/articles/untitled/')
  })

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

  it('keeps an article 364 days old for MSN, the day before it turns too old', async () => {
    const { get, report } = await profileApp(
      profileContent({
        'content/articles/almost.md': goodArticle(
          { slug: 'almost', published: '2025-11-02T00:00:00Z' },
          'A paragraph of the story, long enough to count as an article for MSN. '.repeat(8),
        ),
      }),
    )
    expect(await (await get('/feeds/msn/rss.xml')).text()).toContain('/articles/almost/')
    expect(report.filter((line) => line.startsWith('msn: almost:'))).toEqual([])
  })

  it('takes text about a src attribute for text, not for an embedded URL', async () => {
    const body = `${'A paragraph of the story, long enough to count as an article for MSN. '.repeat(8)}\n\nWrite src="http://example.test/a.jpg" in the tag.`
    const { get, report } = await profileApp(
      profileContent({ 'content/articles/howto.md': goodArticle({ slug: 'howto' }, body) }),
    )
    expect(await (await get('/feeds/msn/rss.xml')).text()).toContain('/articles/howto/')
    expect(report.filter((line) => line.startsWith('msn: howto:'))).toEqual([])
  })

  it('keeps an article whose body SmartNews trims, and reports what went', async () => {
    const body = `${'A paragraph of the story. '.repeat(4)}\n\n<dl><dt>Term</dt><dd>What it means</dd></dl>\n\n<div>Boxed</div>`
    const { get, report } = await profileApp(
      profileContent({ 'content/articles/listed.md': goodArticle({ slug: 'listed' }, body) }),
    )
    const feed = await (await get('/feeds/smartnews/rss.xml')).text()
    expect(feed).toContain('/articles/listed/')
    expect(feed).toContain('<p>Term</p><p>What it means</p>')
    expect(feed).toContain('<p>Boxed</p>')
    expect(feed).not.toMatch(/<dl>|<dt>|<dd>|<div>/)
    expect(await (await get('/feeds/google-news/rss.xml')).text()).toContain('<dl>')
    expect(report).toContain(
      'smartnews: listed: html-allowlist: SmartNews takes no <dd>, <div>, <dl>, <dt>: removed from the body, their text kept (reported, not enforced)',
    )
  })

  it('reports each channel element the site lacks for the aggregators that read it', async () => {
    const bare = HTTPS_SITE.split('\n')
      .filter((line) => !/^(logo|accent_color|cover|websub_hub):/.test(line))
      .join('\n')
    const { get, report } = await profileApp(
      profileContent({
        'content/site.yaml': bare,
        'content/articles/good.md': goodArticle({ slug: 'good' }),
      }),
    )
    expect(report.filter((line) => line.includes(': (feed): '))).toEqual([
      'feedly: (feed): cover: no cover in site.yaml for webfeeds:cover (reported, not enforced)',
      'feedly: (feed): accent-color: no accent_color in site.yaml for webfeeds:accentColor (reported, not enforced)',
      'flipboard: (feed): item-count: the feed holds 1 items; Flipboard asks for at least 20 (reported, not enforced)',
      'google-news: (feed): websub: no websub_hub in site.yaml: Google News picks up changes instantly only with WebSub (reported, not enforced)',
      'smartnews: (feed): logo: no logo in site.yaml for snf:logo (reported, not enforced)',
    ])
    // Served all the same, without the elements it has nothing for.
    const feedly = await (await get('/feeds/feedly/rss.xml')).text()
    expect(feedly).toContain('/articles/good/')
    expect(feedly).not.toMatch(/webfeeds:cover|webfeeds:accentColor/)
    expect(await (await get('/feeds/smartnews/rss.xml')).text()).not.toContain('snf:logo')
  })

  it('keeps the newest 60 for Google News', async () => {
    const files = Object.fromEntries(
      Array.from({ length: 61 }, (_, i) => [
        `content/articles/g${i}.md`,
        goodArticle({
          slug: `g${i}`,
          published: new Date(Date.parse('2026-08-01T00:00:00Z') + i * 86_400_000).toISOString(),
        }),
      ]),
    )
    const { get } = await profileApp(profileContent(files))
    for (const file of ['rss.xml', 'atom.xml']) {
      const feed = await (await get(`/feeds/google-news/${file}`)).text()
      expect(feed.match(/<item>|<entry>/g)).toHaveLength(60)
      expect(feed).toContain('/articles/g60/')
      expect(feed).not.toContain('/articles/g0/')
    }
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

const noRestrict = (html: string) => ({ html, removed: [] })

describe('byte budgets, exact to the byte', () => {
  it("takes an item of exactly Google News' 1,000,000 bytes, and not one byte more", () => {
    const article = makeArticle()
    const over = (bytes: number) =>
      checkArticle(GOOGLE_NEWS, article, bytes).filter((v) => v.rule === 'item-bytes')
    expect(over(1_000_000)).toEqual([])
    expect(over(1_000_001)).toEqual([
      {
        rule: 'item-bytes',
        detail: 'the item takes 1000001 bytes; Google News takes at most 1000000 per article',
        hard: true,
      },
    ])
  })

  const candidate = (id: string, bytes: number) => ({
    id,
    published: '2026-10-01T00:00:00Z',
    bytes,
    violations: [],
  })
  const items = [candidate('new', 50), candidate('mid', 30), candidate('old', 20)]

  it('measures an article against the largest format the aggregator takes (Atom here)', () => {
    const article = makeArticle()
    const standard = renderFragments(article, 'https://news.test')
    const bytes = (text: string) => new TextEncoder().encode(text).byteLength
    const [rss, atom] = [bytes(standard.rss), bytes(standard.atom)]
    expect(atom).toBeGreaterThan(rss)
    const rules = { ...GOOGLE_NEWS, maxItemBytes: rss }
    const fragments = renderProfileFragments(
      article,
      'https://news.test',
      [rules],
      noRestrict,
      standard,
    )
    expect(JSON.parse(fragments['violations@google-news'] as string)).toEqual([
      {
        rule: 'item-bytes',
        detail: `the item takes ${atom} bytes; Google News takes at most ${rss} per article`,
        hard: true,
      },
    ])
  })

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
    const nextOldest = bundle.stored[served] as (typeof bundle.stored)[number]
    const nextBytes = new TextEncoder().encode(nextOldest.fragments['rss@smartnews']).byteLength
    expect(bytes.byteLength + nextBytes).toBeGreaterThan(SMARTNEWS.maxFeedBytes as number)
    const dropped = bundle.stored
      .slice(served)
      .map((a) => a.slug)
      .reverse()
    expect(report.filter((line) => line.includes(': feed-bytes: '))).toEqual(
      dropped.map(
        (slug) =>
          `smartnews: ${slug}: feed-bytes: dropped, oldest first, to keep the feed within 1000000 bytes`,
      ),
    )
  })
})
