import { createReadStream, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { ROOT } from '../../scripts/content-files'
import { readFeeds } from '../../src/migrate/feeds'
import { existingOf, planMigration } from '../../src/migrate/plan'
import type { SourceRead } from '../../src/migrate/source'
import { readWxr } from '../../src/migrate/wxr'

// Files real sites published (../shared/real-world/README.md), read where they are. Reading
// their bytes (encodings, a newline before `<?xml`) is not what these tests are about: each is
// decoded here and its items mapped.
const REAL = join(ROOT, '../shared/real-world')
const OPTIONS = {
  now: Date.parse('2026-12-01T00:00:00Z'),
  category: { slug: 'news', name: 'News' },
  author: { slug: 'staff', name: 'Staff' },
}
// The one page a feed links to that cannot be fetched here (CRE's RFC 5005 `next`): empty.
const EMPTY_PAGE = async () => '<rss version="2.0"><channel><title>end</title></channel></rss>'

function raw(name: string, encoding: 'utf8' | 'latin1' = 'utf8'): string {
  return new TextDecoder(encoding).decode(readFileSync(join(REAL, name)))
}

const feed = (name: string, encoding: 'utf8' | 'latin1' = 'utf8') =>
  readFeeds({ name, text: raw(name, encoding).trimStart() }, EMPTY_PAGE)

// Each <item> of the raw text, for oracles read with regular expressions, apart from the parser.
const rawItems = (text: string) => text.split(/<item>/).slice(1)

const plan = (read: SourceRead) => planMigration([read], existingOf(new Map()), OPTIONS)

describe('the Guardian (Media RSS with only url and width)', () => {
  it('every item leads with its widest image, typed from its URL, with its credit', async () => {
    const read = await feed('guardian-us.rss')
    const text = raw('guardian-us.rss')
    const widest = rawItems(text).map((item) => {
      const sizes = [...item.matchAll(/<media:content width="(\d+)" url="([^"]+)"/g)].map(
        (m) => [Number(m[1]), (m[2] as string).replace(/&amp;/g, '&')] as const,
      )
      return sizes.sort((a, b) => b[0] - a[0])[0]
    })
    expect(read.items).toHaveLength(55)
    expect(widest.every(Boolean)).toBe(true)
    expect(read.items.map((item) => [item.image?.url, item.image?.width])).toEqual(
      widest.map((w) => [w?.[1], w?.[0]]),
    )
    expect(read.items.map((item) => item.image?.type)).toEqual(
      widest.map((w) => (/\.png\?/.test(w?.[1] ?? '') ? 'image/png' : 'image/jpeg')),
    )
    expect(read.items[0]?.image?.credit).toBe('Photograph: Networ/Sipa USA/REX/Shutterstock')
    const result = plan(read)
    expect(result.problems).toEqual([])
    expect(result.report.rejected).toEqual([])
    expect(result.report.imported).toBe(55)
  })
})

describe('TechCrunch through FeedBurner', () => {
  it('links are the origLinks, and no tracker, feedflare or 1×1 image remains in a body', async () => {
    const text = raw('techcrunch-feedburner.xml')
    const read = await feed('techcrunch-feedburner.xml')
    const origLinks = rawItems(text).map(
      (item) => /<feedburner:origLink>([^<]+)<\/feedburner:origLink>/.exec(item)?.[1],
    )
    expect(read.items).toHaveLength(20)
    expect(read.items.map((item) => item.link)).toEqual(origLinks)
    for (const item of read.items) {
      const body = item.body.text()
      expect(body, item.where).not.toMatch(
        /feedflare|feeds\.feedburner\.com|feedproxy\.google\.com|feedads\.g\.doubleclick|width="1"/,
      )
      expect(body.length, item.where).toBeGreaterThan(200)
    }
    expect(read.notes.trackers).toBeGreaterThanOrEqual(20 * 3)
    const result = plan(read)
    const rules = parse(result.writes.get('content/redirects.yaml') as string) as { from: string }[]
    expect(rules.map((r) => r.from)).toContain(
      '/2011/11/02/angies-list-prices-ipo-at-11-to-13-per-share-valued-at-over-600m/',
    )
    expect(rules.some((r) => r.from.startsWith('/~r/'))).toBe(false)
  })
})

describe('CRE (a podcast)', () => {
  it('30 episodes, each with its audio as an attachment, its real URL, size and duration', async () => {
    const text = raw('cre-podcast.xml')
    const read = await feed('cre-podcast.xml')
    const expected = rawItems(text).map((item) => {
      const length = Number(/<enclosure [^>]*length="(\d+)"/.exec(item)?.[1])
      const [h, m, s] = (/<itunes:duration>([\d:]+)</.exec(item)?.[1] ?? '').split(':').map(Number)
      return {
        url: /<feedburner:origEnclosureLink>([^<]+)</.exec(item)?.[1],
        type: /<enclosure [^>]*type="([^"]+)"/.exec(item)?.[1],
        length,
        duration: (h ?? 0) * 3600 + (m ?? 0) * 60 + (s ?? 0),
      }
    })
    expect(read.items).toHaveLength(30)
    expect(read.items.map((item) => item.attachments)).toEqual(expected.map((a) => [a]))
    const result = plan(read)
    expect(result.report.imported).toBe(30)
    expect(result.report.attachments).toBe(30)
  })
})

describe('chrisjrob.com (a WordPress.com export)', () => {
  it('each category its published posts name has its old feed redirected', async () => {
    const read = await readWxr(
      createReadStream(join(REAL, 'chrisjrob-wordpresscom.xml'), 'utf8') as AsyncIterable<string>,
      'chrisjrob-wordpresscom.xml',
      { offset: '+00:00' },
    )
    expect(read.categories).toEqual([])
    expect(read.items).toHaveLength(96)
    const published = rawItems(raw('chrisjrob-wordpresscom.xml')).filter(
      (item) =>
        item.includes('<wp:status>publish</wp:status>') &&
        item.includes('<wp:post_type>post</wp:post_type>'),
    )
    const nicenames = new Set(
      published.flatMap((item) =>
        [...item.matchAll(/<category domain="category" nicename="([^"]+)"/g)].map((m) => m[1]),
      ),
    )
    expect(nicenames.size).toBeGreaterThan(3)
    const result = plan(read)
    expect(result.report.rejected).toEqual([])
    const rules = parse(result.writes.get('content/redirects.yaml') as string) as {
      from: string
      to?: string
    }[]
    for (const nicename of nicenames)
      expect(rules, nicename).toContainEqual({
        from: `/category/${nicename}/feed/`,
        to: `/categories/${nicename}/rss.xml`,
      })
  })
})

describe('Jornal de Notícias (ISO-8859-1, no guid, video-only items)', () => {
  it('every item imports, the video-only ones too, with no tracking pixel left', async () => {
    const read = await feed('jn-pt-iso-8859-1.rss', 'latin1')
    expect(read.items).toHaveLength(40)
    const videos = read.items.filter((item) => item.link?.includes('/videos/'))
    expect(videos.length).toBeGreaterThan(0)
    expect(videos.some((item) => item.body.text() === '')).toBe(true)
    const result = plan(read)
    expect(result.problems).toEqual([])
    expect(result.report.rejected).toEqual([])
    expect(result.report.imported).toBe(40)
    expect(result.report.minted).toBe(40)
    expect(result.report.trackers).toBe(40)
    const video = result.writes.get(
      'content/articles/meio-dia-em-60-segundos-salarios-ate-632-euros-brutos-isentos-de-retencao-de-irs-9021375.md',
    ) as string
    expect(parse(video.split('---\n')[1] as string)).toMatchObject({
      title: 'Meio dia em 60 segundos: Salários até 632 euros brutos isentos de retenção de IRS',
    })
    expect(video).not.toContain('feedburner')
  })
})
