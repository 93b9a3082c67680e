import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { readFeeds } from '../../src/migrate/feeds'
import { existingOf, planMigration, uuidFromLink } from '../../src/migrate/plan'
import type { SourceRead } from '../../src/migrate/source'
import { readWxr } from '../../src/migrate/wxr'

const FIXTURES = join(import.meta.dirname, 'fixtures')
const NOW = Date.parse('2026-12-01T00:00:00Z')
const OPTIONS = {
  now: NOW,
  category: { slug: 'news', name: 'News' },
  author: { slug: 'staff', name: 'Staff' },
}
const WXR = readFileSync(join(FIXTURES, 'wordpress.xml'), 'utf8')

async function* inChunks(text: string, size: number): AsyncGenerator<string> {
  for (let at = 0; at < text.length; at += size) yield text.slice(at, at + size)
}

const wxr = (text = WXR, size = 4096) =>
  readWxr(inChunks(text, size), 'wordpress.xml', { offset: '+01:00' })

function frontOf(text: string): Record<string, unknown> {
  return parse(text.split('---\n')[1] as string) as Record<string, unknown>
}

describe('a WordPress export', () => {
  it('imports what readers saw, and counts what it leaves out by reason', async () => {
    const read = await wxr()
    expect(read.problems).toEqual([])
    expect(read.items.map((item) => item.guid ?? `(none: ${item.link})`)).toEqual([
      'https://old.example.com/?p=101',
      'https://old.example.com/?p=102',
      'https://old.example.com/?p=103',
      '(none: https://old.example.com/2026/01/10/before-guids/)',
      'https://old.example.com/?p=105',
    ])
    expect(Object.fromEntries(read.skipped)).toEqual({
      'a draft': 1,
      'pending review': 1,
      private: 1,
      'in the trash': 1,
      'password-protected': 1,
      'a page (not an article)': 1,
      'an attachment (its file stays where it is)': 1,
      'a menu item': 1,
    })
    expect(read.comments).toBe(2)
  })

  it('reads the same whatever sizes the stream arrives in', async () => {
    const whole = await wxr(WXR, WXR.length)
    for (const size of [1, 7, 64, 1000])
      expect(await wxr(WXR, size), `chunks of ${size}`).toEqual(whole)
  })

  it('keeps each GUID as the id, dates, the featured image with its credit, and never an e-mail address', async () => {
    const plan = planMigration([await wxr()], existingOf(new Map()), OPTIONS)
    expect(plan.problems).toEqual([])
    const harbour = plan.writes.get('content/articles/harbour-reopens.md') as string
    expect(frontOf(harbour)).toEqual({
      id: 'https://old.example.com/?p=101',
      title: 'Harbour reopens – "at last"',
      summary: 'The harbour is open again.',
      author: 'jdoe',
      published: '2026-03-02T09:30:00.000Z',
      updated: '2026-03-03T11:00:00.000Z',
      categories: ['news', 'world'],
      tags: ['Café', '東京'],
      image: {
        url: 'https://old.example.com/wp-content/uploads/2026/03/harbour.jpg',
        alt: 'Fishing boats moored in the harbour',
        credit: 'Ana Lima / The Old Gazette',
        width: 1200,
        height: 800,
        type: 'image/jpeg',
      },
    })
    // A CDATA section that held "]]>" (split as WordPress writes it) keeps it, as text.
    expect(harbour).toContain('`if (open) { sail(); } ]]> done`')
    // The GMT date unset: post_date at the stated offset, and reported.
    const cyrillic = plan.writes.get('content/articles/мир-и-гавань.md') as string
    expect(frontOf(cyrillic)).toMatchObject({
      published: '2026-03-05T09:00:00.000Z',
      author: 'ivan',
      categories: ['мир'],
    })
    expect(Object.fromEntries(plan.report.dates)).toEqual({
      'post_date_gmt unset: post_date read at UTC+01:00': 1,
    })
    // A scheduled post stays scheduled; its modification before publication is no edit.
    expect(frontOf(plan.writes.get('content/articles/ferry-timetable.md') as string)).toMatchObject(
      {
        published: '2027-01-15T06:00:00.000Z',
      },
    )
    expect(plan.report.scheduled).toBe(1)
    // No GUID: a name-based urn:uuid: from the link, the same every run.
    expect(frontOf(plan.writes.get('content/articles/before-guids.md') as string).id).toBe(
      uuidFromLink('https://old.example.com/2026/01/10/before-guids/'),
    )
    expect(uuidFromLink('https://old.example.com/2026/01/10/before-guids/')).toMatch(
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab]/,
    )
    // Two posts with one slug: the older keeps it.
    expect(plan.report.collisions).toEqual([
      'wordpress.xml:150:2: slug "harbour-reopens" is taken, "harbour-reopens-2" used',
    ])
    expect(frontOf(plan.writes.get('content/articles/harbour-reopens-2.md') as string).id).toBe(
      'https://old.example.com/?p=105',
    )
    for (const [path, text] of plan.writes) expect(text, path).not.toMatch(/@old\.example\.com/)
    expect(plan.writes.get('content/authors/jdoe.yaml')).toBe('name: Jane Doe\n')
  })

  it('writes redirects for permalinks, ?p=, and every feed address WordPress had', async () => {
    const plan = planMigration([await wxr()], existingOf(new Map()), OPTIONS)
    const rules = parse(plan.writes.get('content/redirects.yaml') as string) as {
      from: string
      to?: string
      status?: number
    }[]
    const to = (from: string) => rules.find((rule) => rule.from === from)
    expect(to('/2026/03/02/harbour-reopens/')?.to).toBe('/articles/harbour-reopens/')
    expect(to('/?p=102')?.to).toBe('/articles/мир-и-гавань/')
    expect(to('/feed/')?.to).toBe('/rss.xml')
    expect(to('/feed/atom/')?.to).toBe('/atom.xml')
    expect(to('/?feed=rss2')?.to).toBe('/rss.xml')
    expect(to('/category/news/world/feed/')?.to).toBe('/categories/world/rss.xml')
    expect(to('/?cat=8&feed=rss2')?.to).toBe('/categories/world/rss.xml')
    expect(to('/tag/東京/feed/')?.to).toBe('/tags/東京/rss.xml')
    expect(to('/author/jdoe/feed/')?.to).toBe('/authors/jdoe/rss.xml')
    expect(to('/comments/feed/')?.status).toBe(410)
    expect(to('/2026/03/02/harbour-reopens/feed/')?.status).toBe(410)
  })

  it('a second run over what the first wrote changes nothing; a newer export updates only what changed', async () => {
    const first = planMigration([await wxr()], existingOf(new Map()), OPTIONS)
    const files = new Map(first.writes)
    const again = planMigration([await wxr()], existingOf(files), OPTIONS)
    expect(again.writes.size).toBe(0)
    expect(again.report).toMatchObject({ imported: 0, updated: 0, unchanged: 5, redirects: 0 })

    const newer = WXR.replace('Boats queued at dawn.', 'Boats queued before dawn.').replace(
      /<item>\s*<title><!\[CDATA\[A post from before GUIDs[\s\S]*?<\/item>/,
      '',
    )
    const update = planMigration([await wxr(newer)], existingOf(files), OPTIONS)
    expect([...update.writes.keys()].sort()).toEqual([
      'content/.migrate.json',
      'content/articles/harbour-reopens.md',
    ])
    expect(update.report).toMatchObject({
      imported: 0,
      updated: 1,
      unchanged: 3,
      absent: ['content/articles/before-guids.md'],
    })

    // An article edited by hand since it was migrated is left as it is, and reported.
    const edited = new Map(files)
    edited.set(
      'content/articles/harbour-reopens.md',
      `${files.get('content/articles/harbour-reopens.md')}\nAn editor's note.\n`,
    )
    const careful = planMigration([await wxr(newer)], existingOf(edited), OPTIONS)
    expect(careful.writes.has('content/articles/harbour-reopens.md')).toBe(false)
    expect(careful.report.kept).toEqual(['content/articles/harbour-reopens.md'])
  })

  it('a broken item is reported where it is; an untitled one is no problem', async () => {
    const broken = WXR.replace(
      '<wp:post_name><![CDATA[ferry-timetable]]></wp:post_name>',
      '<wp:post_name>ferry</wp:post_nam>',
    ).replace('<title><![CDATA[Harbour reopens]]></title>', '<title></title>')
    const read = await wxr(broken)
    expect(read.problems).toEqual([
      {
        where: 'wordpress.xml:131:22',
        message:
          "Expected closing tag 'wp:post_name' (opened at wordpress.xml:131:3) instead of closing tag 'wp:post_nam'.",
      },
    ])
    const plan = planMigration([read], existingOf(new Map()), OPTIONS)
    expect(plan.problems.map((p) => `${p.where}: ${p.message}`)).toEqual([
      "wordpress.xml:131:22: Expected closing tag 'wp:post_name' (opened at wordpress.xml:131:3) instead of closing tag 'wp:post_nam'.",
    ])
    expect(plan.report.rejected).toEqual([])
  })

  it('an export cut short says where it ends and what is still open there', async () => {
    // Line and column of the end of `text`, counted by hand.
    const endOf = (text: string) => {
      const lines = text.split('\n')
      return `${lines.length}:${(lines.at(-1) as string).length + 1}`
    }
    const cut = WXR.slice(0, WXR.indexOf('A sign read'))
    await expect(wxr(cut)).rejects.toThrow(
      new RegExp(
        `^wordpress\\.xml:${endOf(cut)}: the document ends inside a CDATA section opened at ${endOf(cut.slice(0, cut.lastIndexOf('<![CDATA[')))}: it is cut short$`,
      ),
    )
    const atItem = WXR.slice(0, WXR.indexOf('<title><![CDATA[Ferry'))
    await expect(wxr(atItem)).rejects.toThrow(
      `wordpress.xml:${endOf(atItem)}: the document ends inside <item> opened at 116:2: it is cut short`,
    )
  })
})

describe('feeds as a source', () => {
  const load = async (url: string) =>
    readFileSync(join(FIXTURES, 'feeds', url.replace('file:///', '')), 'utf8')
  const feed = (name: string) =>
    readFeeds({ name, text: readFileSync(join(FIXTURES, 'feeds', name), 'utf8') }, load)

  it('RSS 2.0, paged (RFC 5005 next), each item once, GUIDs verbatim', async () => {
    const read = await feed('rss-page-1.xml')
    expect(read.problems).toEqual([])
    expect(read.items.map((item) => item.guid ?? item.link)).toEqual([
      '5f2b6c1e9d3a4b0012345678',
      'https://ghost.example.org/storm-warning/',
      'https://ghost.example.org/quay-repairs/',
    ])
    const plan = planMigration([read], existingOf(new Map()), OPTIONS)
    expect(plan.problems).toEqual([])
    expect(frontOf(plan.writes.get('content/articles/lighthouse-lamp.md') as string)).toEqual({
      id: '5f2b6c1e9d3a4b0012345678',
      title: 'Lighthouse gets a new lamp',
      summary: 'A brighter lamp for the old lighthouse.',
      author: 'maria-silva',
      published: '2026-11-10T08:00:00.000Z',
      categories: ['news'],
      tags: ['Lighthouses', 'Engineering'],
      image: {
        url: 'https://ghost.example.org/content/images/lamp.jpg',
        alt: 'The new lamp, lit',
        credit: 'Photo by Maria Silva',
        width: 1600,
        height: 900,
        // Media RSS names no type here: the URL's extension does.
        type: 'image/jpeg',
      },
    })
    // RSS <author> is an address: only the name in it is kept.
    expect(frontOf(plan.writes.get('content/articles/storm-warning.md') as string)).toMatchObject({
      author: 'harbour-desk',
      published: '2026-11-09T17:30:00.000Z',
    })
    expect(plan.writes.get('content/authors/harbour-desk.yaml')).toBe('name: Harbour Desk\n')
  })

  it('Atom 1.0: xhtml content, html titles, categories as tags, the feed author', async () => {
    const read = await feed('atom.xml')
    const plan = planMigration([read], existingOf(new Map()), OPTIONS)
    const text = plan.writes.get('content/articles/tides.md') as string
    expect(frontOf(text)).toMatchObject({
      id: 'tag:log.example.net,2026:entry-42',
      title: 'Tides & times',
      author: 'log-keeper',
      published: '2026-11-12T07:00:00.000Z',
      updated: '2026-11-12T09:30:00.000Z',
      tags: ['Tides'],
    })
    expect(text).toContain('High tide at **noon**.\n\nLow tide at six.')
    expect(parse(plan.writes.get('content/authors/log-keeper.yaml') as string)).toEqual({
      name: 'Log Keeper',
      url: 'https://log.example.net/about/',
    })
  })

  it('JSON Feed 1.1 and 1.0, followed by next_url', async () => {
    const read = await feed('feed.json')
    expect(read.items.map((item) => item.guid)).toEqual(['1001', '1000'])
    const plan = planMigration([read], existingOf(new Map()), OPTIONS)
    expect(frontOf(plan.writes.get('content/articles/new-ferry.md') as string)).toMatchObject({
      id: '1001',
      author: 'bulletin-desk',
      tags: ['Ferries', 'Transport'],
      image: { url: 'https://bulletin.example.com/img/ferry.jpg', alt: 'A new ferry' },
    })
    expect(plan.writes.get('content/articles/old-ferry.md')).toContain(
      'After forty years, the old ferry retires.\n\nA party is planned.',
    )
  })

  it('malformed sources say where, and what', async () => {
    const bad = (name: string, text: string) => readFeeds({ name, text }, load)
    expect((await bad('broken.xml', '<rss><channel><item></channel></rss>')).problems).toEqual([
      {
        where: 'broken.xml:1:21',
        message:
          "Expected closing tag 'item' (opened at broken.xml:1:15) instead of closing tag 'channel'.",
      },
    ])
    expect((await bad('page.html', '<html><body>Hello</body></html>')).problems).toEqual([
      {
        where: 'page.html',
        message: 'is neither RSS 2.0, Atom 1.0, JSON Feed nor a WordPress export',
      },
    ])
    expect((await bad('data.json', '{"items": []}')).problems[0]?.message).toMatch(
      /is JSON but not a JSON Feed/,
    )
    expect(
      (await bad('cut.json', '{"version": "https://jsonfeed.org/version/1.1",\n "items": ['))
        .problems[0]?.where,
    ).toMatch(/^cut\.json:2:\d+$/)
  })
})

describe('sources together', () => {
  it('the same GUID in two sources is one article, the first source winning', async () => {
    const a = await readFeeds(
      {
        name: 'a.json',
        text: JSON.stringify({
          version: 'https://jsonfeed.org/version/1.1',
          title: 'A',
          items: [
            { id: 'x', title: 'From A', content_text: 'a', date_published: '2026-01-01T00:00:00Z' },
          ],
        }),
      },
      async () => '',
    )
    const b = await readFeeds(
      {
        name: 'b.json',
        text: JSON.stringify({
          version: 'https://jsonfeed.org/version/1.1',
          title: 'B',
          items: [
            { id: 'x', title: 'From B', content_text: 'b', date_published: '2026-01-01T00:00:00Z' },
          ],
        }),
      },
      async () => '',
    )
    const plan = planMigration([a, b] as SourceRead[], existingOf(new Map()), OPTIONS)
    expect([...plan.writes.keys()].filter((p) => p.startsWith('content/articles/'))).toEqual([
      'content/articles/from-a.md',
    ])
  })
})

describe('hostile bodies in a source', () => {
  it('skips an item past the limits (nesting, elements), reporting where it is, and migrates the rest', async () => {
    const item = (id: string, html: string) => ({
      id,
      title: id,
      content_html: html,
      date_published: '2026-01-01T00:00:00Z',
    })
    const read = await readFeeds(
      {
        name: 'hostile.json',
        text: JSON.stringify({
          version: 'https://jsonfeed.org/version/1.1',
          title: 'Hostile',
          items: [
            item('before', '<p>kept</p>'),
            item('deep', '<div>'.repeat(5000)),
            item('quotes', '<blockquote>'.repeat(3000)),
            item('many', '<p>x</p>\n'.repeat(100_001)),
            item('after', '<p>kept too</p>'),
          ],
        }),
      },
      async () => '',
    )
    expect(read.problems).toEqual([])
    expect(read.items.map((i) => i.guid)).toEqual(['before', 'after'])
    expect([...read.skipped.keys()]).toEqual([
      'a body beyond the limits at hostile.json: items[1]: nests HTML elements 5,000 deep (line 1); at most 256',
      'a body beyond the limits at hostile.json: items[2]: nests HTML elements 3,000 deep (line 1); at most 256',
      'a body beyond the limits at hostile.json: items[3]: makes more than 100,000 HTML elements (line 100,001)',
    ])
  })
})
