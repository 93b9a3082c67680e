import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { readFeeds } from '../../src/migrate/feeds'
import { cleanWordPressHtml, emptyNotes, htmlToMarkdown } from '../../src/migrate/html'
import { existingOf, planMigration } from '../../src/migrate/plan'
import type { SourceRead } from '../../src/migrate/source'
import { readWxr } from '../../src/migrate/wxr'

// One trait of an item per test, each from a small document written here.
const OPTIONS = {
  now: Date.parse('2026-12-01T00:00:00Z'),
  category: { slug: 'news', name: 'News' },
  author: { slug: 'staff', name: 'Staff' },
}

const noPages = async (url: string): Promise<string> => {
  throw new Error(`no page ${url} in these tests`)
}

const rss = (items: string, channel = '<link>https://old.example.org/</link>') =>
  `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0" xmlns:pheedo="http://www.pheedo.com/namespace/pheedo" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Old Example</title>${channel}<description>Old news</description>${items}</channel></rss>`

const item = (fields: string) =>
  `<item><pubDate>Mon, 02 Mar 2026 09:30:00 +0000</pubDate>${fields}</item>`

const readRss = (text: string, name = 'feed.xml') => readFeeds({ name, text }, noPages)
const plan = (read: SourceRead) => planMigration([read], existingOf(new Map()), OPTIONS)

function frontOf(text: string | undefined): Record<string, unknown> {
  return parse((text ?? '').split('---\n')[1] as string) as Record<string, unknown>
}

const redirectsOf = (text: string | undefined) =>
  parse(text ?? '[]') as { from: string; to?: string; status?: number }[]

describe('one bad item never stops the others', () => {
  it('an item with nothing to know it by, or no date, is skipped and reported where it is', async () => {
    const read = await readRss(
      rss(
        item('<title>Kept</title><guid>a-1</guid>') +
          '<item><title>No date</title><guid>a-2</guid></item>' +
          item('<title>Nothing to know it by</title>') +
          item('<title>Also kept</title><guid>a-4</guid>'),
      ),
    )
    const result = plan(read)
    expect(result.problems).toEqual([])
    expect(result.report.rejected).toEqual([
      'feed.xml: item 2: has no publication date: skipped',
      'feed.xml: item 3: has no GUID and no link: nothing to know it by: skipped',
    ])
    expect(
      [...result.writes.keys()].filter((f) => f.startsWith('content/articles/')).sort(),
    ).toEqual(['content/articles/also-kept.md', 'content/articles/kept.md'])
  })

  it('an untitled item imports with no title, none invented', async () => {
    const read = await readRss(
      rss(
        item(
          '<guid>u-1</guid><link>https://old.example.org/2026/03/untitled/</link><description>&lt;p&gt;Words.&lt;/p&gt;</description>',
        ),
      ),
    )
    const result = plan(read)
    const text = result.writes.get('content/articles/untitled.md')
    expect(frontOf(text)).not.toHaveProperty('title')
    expect(frontOf(text)).not.toHaveProperty('summary')
    expect(text?.endsWith('\n\nWords.\n')).toBe(true)
  })

  it('an untitled published WordPress post imports', async () => {
    const wxr = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Theme test</title><link>https://wpthemetestdata.example</link><wp:wxr_version>1.2</wp:wxr_version>
<item><title></title><link>https://wpthemetestdata.example/2009/09/05/1149/</link><guid isPermaLink="false">https://wpthemetestdata.example/?p=1149</guid><dc:creator>themedemos</dc:creator><content:encoded><![CDATA[This post has no title.]]></content:encoded><wp:post_id>1149</wp:post_id><wp:post_date_gmt>2009-09-05 16:00:00</wp:post_date_gmt><wp:post_name></wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
</channel></rss>`
    async function* once() {
      yield wxr
    }
    const read = await readWxr(once(), 'theme.xml', { offset: '+00:00' })
    const result = plan(read)
    expect(result.problems).toEqual([])
    expect(result.report.rejected).toEqual([])
    expect(result.report.imported).toBe(1)
    const [file, text] = [...result.writes].find(([f]) => f.startsWith('content/articles/')) ?? []
    expect(file).toBe('content/articles/article.md')
    expect(frontOf(text)).toMatchObject({ id: 'https://wpthemetestdata.example/?p=1149' })
    expect(frontOf(text)).not.toHaveProperty('title')
  })

  it('control characters decoded from a JSON Feed title are removed and reported', async () => {
    const json = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'Old',
      items: [
        {
          id: 'j-1',
          title: 'Bell\u0001 rings\u000cloud\u009f',
          content_text: 'Ding.',
          date_published: '2026-03-02T09:30:00Z',
        },
      ],
    })
    const result = plan(await readFeeds({ name: 'feed.json', text: json }, noPages))
    const text = result.writes.get('content/articles/bell-rings-loud.md') as string
    // A form feed is white space in a title: it becomes a space, as a tab would.
    expect(frontOf(text).title).toBe('Bell rings loud')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: what must not be there
    expect(text).not.toMatch(/[\u0001\u000c\u009f]|\\x01|\\f|\\x9f/)
    expect(result.report.repaired).toEqual([
      'feed.json: items[0]: control characters removed (U+0001, U+009F)',
    ])
  })
})

describe('every old address answers', () => {
  it('relative links resolve against xml:base, then the channel link, then the feed URL', async () => {
    const items =
      item('<title>Based</title><guid>r-1</guid><link>based/</link>').replace(
        '<item>',
        '<item xml:base="https://old.example.org/2026/">',
      ) +
      item('<title>Rooted</title><guid>r-2</guid><link>/2026/03/rooted/</link>') +
      item('<title>Relative</title><guid>r-3</guid><link>03/relative/</link>')
    const read = await readRss(rss(items, '<link>https://old.example.org/blog/</link>'))
    expect(read.items.map((i) => i.link)).toEqual([
      'https://old.example.org/2026/based/',
      'https://old.example.org/2026/03/rooted/',
      'https://old.example.org/blog/03/relative/',
    ])
    const fromUrl = await readFeeds(
      {
        name: 'https://feeds.example.net/news/rss',
        text: rss(items.slice(items.indexOf('<item><pubDate')), ''),
      },
      noPages,
    )
    expect(fromUrl.items.map((i) => i.link)).toEqual([
      'https://feeds.example.net/2026/03/rooted/',
      'https://feeds.example.net/news/03/relative/',
    ])
    expect(redirectsOf(plan(read).writes.get('content/redirects.yaml'))).toEqual(
      expect.arrayContaining([
        { from: '/2026/based/', to: '/articles/based/' },
        { from: '/2026/03/rooted/', to: '/articles/rooted/' },
        { from: '/blog/03/relative/', to: '/articles/relative/' },
      ]),
    )
  })

  it("FeedBurner's and Pheedo's origLink is the item's link, slug and redirect", async () => {
    const read = await readRss(
      rss(
        item(
          '<title>Burned</title><guid isPermaLink="false">b-1</guid><link>http://feedproxy.google.com/~r/Old/~3/xYz/</link><feedburner:origLink>https://old.example.org/2026/03/02/real-post/</feedburner:origLink>',
        ) +
          item(
            '<title>Pheedo</title><guid>b-2</guid><link>http://www.pheedo.com/click.phdo?i=abc</link><pheedo:origLink>https://old.example.org/2026/03/02/other-post/</pheedo:origLink>',
          ),
      ),
    )
    expect(read.items.map((i) => [i.link, i.slug])).toEqual([
      ['https://old.example.org/2026/03/02/real-post/', 'real-post'],
      ['https://old.example.org/2026/03/02/other-post/', 'other-post'],
    ])
    const rules = redirectsOf(plan(read).writes.get('content/redirects.yaml'))
    expect(rules).toEqual([
      { from: '/2026/03/02/real-post/', to: '/articles/real-post/' },
      { from: '/2026/03/02/other-post/', to: '/articles/other-post/' },
    ])
  })

  it("a WordPress.com export's category feeds redirect though the channel lists no category", async () => {
    const wxr = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Blog</title><link>https://blog.example.org</link><wp:wxr_version>1.2</wp:wxr_version><wp:base_blog_url>https://blog.example.org</wp:base_blog_url>
<item><title>Kernel</title><link>https://blog.example.org/2015/01/kernel/</link><guid isPermaLink="false">https://blog.example.org/?p=5</guid><content:encoded><![CDATA[Built.]]></content:encoded><wp:post_id>5</wp:post_id><wp:post_date_gmt>2015-01-02 10:00:00</wp:post_date_gmt><wp:post_name>kernel</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type><category domain="category" nicename="linux"><![CDATA[Linux]]></category></item>
</channel></rss>`
    async function* once() {
      yield wxr
    }
    const read = await readWxr(once(), 'blog.xml', { offset: '+00:00' })
    expect(read.categories).toEqual([])
    expect(redirectsOf(plan(read).writes.get('content/redirects.yaml'))).toEqual(
      expect.arrayContaining([
        { from: '/category/linux/feed/', to: '/categories/linux/rss.xml' },
        { from: '/category/linux/feed/atom/', to: '/categories/linux/atom.xml' },
      ]),
    )
  })
})

describe('trackers are removed from bodies and counted', () => {
  it('feedflare blocks, 1×1 images, FeedBurner image links and ads go; a redirect link keeps its words', async () => {
    const notes = emptyNotes()
    const markdown = htmlToMarkdown(
      [
        '<p>Story <a href="http://feedproxy.google.com/~r/Old/~3/abc/">read on</a>.</p>',
        '<div class="feedflare"><a href="http://feeds.feedburner.com/~ff/Old?a=1"><img src="http://feeds.feedburner.com/~ff/Old?d=1"></a></div>',
        '<p><a href="http://feedads.g.doubleclick.net/~at/x/0/da"><img src="http://feedads.g.doubleclick.net/~at/x/0/di"></a></p>',
        '<img src="http://feeds.feedburner.com/~r/Old/~4/abc" height="1" width="1" alt="">',
        '<img src="https://stats.example.org/pixel.gif" width="1" height="1">',
        '<p><a href="http://www.pheedo.com/click.phdo?s=1"><img src="http://www.pheedo.com/img.phdo?s=1"></a></p>',
        '<p><img src="https://old.example.org/photo.jpg" alt="A photo" width="600" height="400"></p>',
      ].join('\n'),
      notes,
    )
    expect(markdown).toBe('Story read on.\n\n![A photo](https://old.example.org/photo.jpg)\n')
    expect(notes.trackers).toBe(6)
  })
})

describe('nothing a reader saw is lost', () => {
  it('the widest Media RSS image leads, from a media:group too, typed by its extension', async () => {
    const read = await readRss(
      rss(
        item(
          `<title>Sizes</title><guid>m-1</guid>
          <media:content width="140" url="https://img.example.org/a.jpg?w=140"><media:credit>Photograph: A. Lens</media:credit></media:content>
          <media:content width="460" url="https://img.example.org/a.jpg?w=460"><media:credit>Photograph: A. Lens</media:credit></media:content>`,
        ) +
          item(
            `<title>Grouped</title><guid>m-2</guid>
          <media:group><media:description>A quay at dawn</media:description><media:credit>B. Shutter</media:credit>
            <media:content url="https://img.example.org/b-small.png" width="300"/>
            <media:content url="https://img.example.org/b-large.png" width="1200" height="800"/>
            <media:content url="https://img.example.org/b.mp4" medium="video" width="1920"/>
          </media:group>`,
          ),
      ),
    )
    expect(read.items.map((i) => i.image)).toEqual([
      {
        url: 'https://img.example.org/a.jpg?w=460',
        credit: 'Photograph: A. Lens',
        width: 460,
        type: 'image/jpeg',
      },
      {
        url: 'https://img.example.org/b-large.png',
        alt: 'A quay at dawn',
        credit: 'B. Shutter',
        width: 1200,
        height: 800,
        type: 'image/png',
      },
    ])
  })

  it('audio and video enclosures become attachments, each distinct file once; others are reported', async () => {
    const read = await readRss(
      rss(
        item(
          `<title>Episode 1</title><guid>p-1</guid><itunes:duration>01:02:03</itunes:duration>
          <enclosure url="https://cdn.example.org/e1.mp3" length="1234567" type="audio/mpeg"/>
          <enclosure url="https://cdn.example.org/e1.opus" length="0" type=""/>
          <enclosure url="https://cdn.example.org/e1.mp3" length="1234567" type="audio/mpeg"/>
          <enclosure url="https://cdn.example.org/e1.pdf" length="99" type="application/pdf"/>
          <enclosure url="https://cdn.example.org/cover.jpg" length="5000" type="image/jpeg"/>`,
        ),
      ),
    )
    const [episode] = read.items
    expect(episode?.attachments).toEqual([
      {
        url: 'https://cdn.example.org/e1.mp3',
        type: 'audio/mpeg',
        length: 1234567,
        duration: 3723,
      },
      { url: 'https://cdn.example.org/e1.opus', type: 'audio/ogg', duration: 3723 },
    ])
    expect(episode?.image).toEqual({ url: 'https://cdn.example.org/cover.jpg', type: 'image/jpeg' })
    expect(Object.fromEntries(read.skipped)).toEqual({
      'an enclosure neither audio, video nor an image (not carried over)': 1,
    })
    const result = plan(read)
    expect(result.report.attachments).toBe(2)
    expect(frontOf(result.writes.get('content/articles/episode-1.md')).attachments).toEqual(
      episode?.attachments,
    )
  })

  it('Atom enclosure links and JSON Feed attachments become attachments', async () => {
    const atom = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Old</title><id>urn:x</id><updated>2026-03-02T09:30:00Z</updated>
<entry><title>Clip</title><id>tag:old.example.org,2026:1</id><updated>2026-03-02T09:30:00Z</updated><link href="https://old.example.org/clip/"/>
<link rel="enclosure" type="video/mp4" length="2048" title="The clip" href="https://cdn.example.org/clip.mp4"/><content type="html">&lt;p&gt;Watch.&lt;/p&gt;</content></entry></feed>`
    const fromAtom = await readFeeds({ name: 'atom.xml', text: atom }, noPages)
    expect(fromAtom.items[0]?.attachments).toEqual([
      {
        url: 'https://cdn.example.org/clip.mp4',
        type: 'video/mp4',
        length: 2048,
        title: 'The clip',
      },
    ])
    const json = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'Old',
      home_page_url: 'https://old.example.org/',
      items: [
        {
          id: 'j-2',
          title: 'Talk',
          content_html: '<p>Listen.</p>',
          date_published: '2026-03-02T09:30:00Z',
          attachments: [
            {
              url: '/media/talk.m4a',
              mime_type: 'audio/x-m4a',
              size_in_bytes: 777,
              duration_in_seconds: 90,
            },
            { url: 'https://old.example.org/media/talk.mp3', mime_type: 'audio/mpeg' },
          ],
        },
      ],
    })
    const fromJson = await readFeeds({ name: 'feed.json', text: json }, noPages)
    expect(fromJson.items[0]?.attachments).toEqual([
      {
        url: 'https://old.example.org/media/talk.m4a',
        type: 'audio/x-m4a',
        length: 777,
        duration: 90,
      },
      { url: 'https://old.example.org/media/talk.mp3', type: 'audio/mpeg' },
    ])
  })

  it('[caption caption="…"] keeps its caption; blocks in a table cell keep their words apart', () => {
    const notes = emptyNotes()
    const figure = htmlToMarkdown(
      cleanWordPressHtml(
        '[caption id="attachment_7" align="alignleft" width="300" caption="Boats at the quay"]<img src="https://old.example.org/boats.jpg" alt="Boats" />[/caption]',
        notes,
      ),
      notes,
    )
    expect(figure).toBe(
      '<figure><img src="https://old.example.org/boats.jpg" alt="Boats"><figcaption>Boats at the quay</figcaption></figure>\n',
    )
    const table = htmlToMarkdown(
      '<table><tr><th>Port</th><th>Note</th></tr><tr><td><p>Harbour</p><p>North</p></td><td>Open</td></tr></table>',
    )
    expect(table).toMatch(/\| Harbour North\s*\| Open\s*\|/)
    expect(table).not.toContain('HarbourNorth')
  })
})
