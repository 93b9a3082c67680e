import { XMLParser } from 'fast-xml-parser'
import { parseFeed } from 'feedsmith'
import { describe, expect, it } from 'vitest'
import { displayTitle } from '../../src/model/title'
import {
  makeArticle,
  makeAttachmentArticle,
  makeTableOnlyArticle,
  makeUntitledArticle,
  ORIGIN,
  renderFeed,
} from '../helpers/builders'
import { readWithExtractor, readWithFeedsmith, readWithRssParser } from '../helpers/readers'
import {
  checkAtomRelaxNg,
  checkAtomRules,
  checkJsonFeed,
  checkWellFormed,
  parseWithFeedparser,
  parseWithRssParser,
} from '../helpers/validators'

// Hand-written: the untitled builder's summary cut at the last word within 80 characters.
const STAND_IN = 'Bridge closed overnight on the north side while crews replace the expansion…'
const MP3 = `${ORIGIN}/media/episode-12.mp3`
const PDF = `${ORIGIN}/media/episode-12.pdf`
const JPEG = `${ORIGIN}/images/studio.jpg`

const untitled = makeUntitledArticle()
const table = makeTableOnlyArticle()
const episode = makeAttachmentArticle()
const articles = [untitled, table, episode]
const rss = renderFeed('rss', articles)
const atom = renderFeed('atom', articles)
const json = JSON.parse(renderFeed('json', articles))

const items = (xml: string, name: 'item' | 'entry') =>
  new XMLParser({
    ignoreAttributes: false,
    isArray: (n) => ['item', 'entry', 'link', 'media:content'].includes(n),
  }).parse(xml)[name === 'item' ? 'rss' : 'feed'][name === 'item' ? 'channel' : 'feed']

describe('displayTitle', () => {
  it('is the title when there is one', () => {
    expect(displayTitle(makeArticle({ title: 'Engines' }))).toBe('Engines')
  })

  it('is the start of the summary, cut at a word, for an untitled article', () => {
    expect(displayTitle(untitled)).toBe(STAND_IN)
  })

  it('is the whole summary when it is short', () => {
    expect(displayTitle(makeArticle({ title: '', summary: 'Road open.' }))).toBe('Road open.')
  })

  it('is the text when there is no summary, else the publication date', () => {
    expect(displayTitle(makeArticle({ title: '', summary: '', text: 'Words.' }))).toBe('Words.')
    expect(
      displayTitle(
        makeArticle({ title: '', summary: '', text: '', published: '2026-03-04T05:06:07.000Z' }),
      ),
    ).toBe('2026-03-04')
  })
})

describe('feeds with an untitled article, a table-only body and attachments', () => {
  it('pass every validator', () => {
    expect(checkWellFormed(rss)).toBe(true)
    expect(checkWellFormed(atom)).toBe(true)
    expect(checkAtomRelaxNg(atom)).toBe('')
    expect(checkAtomRules(atom)).toEqual([])
    expect(checkJsonFeed(json)).toEqual([])
    expect(parseWithFeedparser(rss).bozo).toBe(false)
    expect(parseWithFeedparser(atom).bozo).toBe(false)
  })

  it('give the untitled RSS item no <title> and its summary as <description>', () => {
    const item = /<item>[\s\S]*?<\/item>/.exec(rss)?.[0] ?? ''
    expect(item).not.toContain('<title>')
    expect(item).toContain(`<description>${untitled.summary}</description>`)
  })

  it('give the untitled Atom entry the stand-in title and JSON item no title', () => {
    expect(atom).toContain(`<title type="text">${STAND_IN}</title>`)
    expect(json.items[0]).not.toHaveProperty('title')
    expect(json.items[0].summary).toBe(untitled.summary)
  })

  it('are read with the same titles by every reader', async () => {
    const titles = (seen: { title: string }[]) => seen.map((s) => s.title)
    expect(parseWithFeedparser(rss).entries.map((e) => e.title)).toEqual([
      null,
      table.title,
      episode.title,
    ])
    expect(parseWithFeedparser(atom).entries.map((e) => e.title)).toEqual([
      STAND_IN,
      table.title,
      episode.title,
    ])
    expect(titles(await readWithRssParser(atom))).toEqual([STAND_IN, table.title, episode.title])
    expect(titles(readWithFeedsmith(atom, 'atom'))).toEqual([STAND_IN, table.title, episode.title])
    expect(titles(readWithExtractor(atom, 'atom'))).toEqual([STAND_IN, table.title, episode.title])
    expect(titles(readWithFeedsmith(rss, 'rss'))).toEqual([undefined, table.title, episode.title])
    expect(titles(readWithFeedsmith(JSON.stringify(json), 'json'))).toEqual([
      undefined,
      table.title,
      episode.title,
    ])
  })

  it("carry the table's words as its summary in every format", () => {
    expect(rss).toContain('<description>Engine Power Difference Engine 1 kW</description>')
    expect(atom).toContain('<summary type="text">Engine Power Difference Engine 1 kW</summary>')
    expect(json.items[1].summary).toBe('Engine Power Difference Engine 1 kW')
  })
})

describe('attachments', () => {
  it('make the audio file the one RSS enclosure, over the lead image', async () => {
    const rssItems = items(rss, 'item').item
    expect(rssItems[2].enclosure).toEqual({
      '@_url': MP3,
      '@_length': '24986239',
      '@_type': 'audio/mpeg',
    })
    expect(rss.match(/<enclosure /g)).toHaveLength(1)
    const feed = await parseWithRssParser(rss)
    expect(feed.items[2]?.enclosure).toEqual({ url: MP3, length: '24986239', type: 'audio/mpeg' })
    expect(parseWithFeedparser(rss).entries[2]?.enclosures).toEqual([
      { href: MP3, type: 'audio/mpeg', length: '24986239' },
    ])
  })

  it('keep the lead image as the enclosure when no attachment has a length', () => {
    const pdfOnly = makeAttachmentArticle({
      attachments: [{ url: PDF, type: 'application/pdf' }],
    })
    expect(renderFeed('rss', [pdfOnly])).toContain(
      `<enclosure url="${JPEG}" length="48000" type="image/jpeg"/>`,
    )
  })

  it('are each a media:content with medium, size, duration and title in RSS', () => {
    const media = items(rss, 'item').item[2]['media:content']
    expect(media.map((m: Record<string, string>) => [m['@_url'], m['@_medium']])).toEqual([
      [JPEG, 'image'],
      [MP3, 'audio'],
      [PDF, 'document'],
    ])
    expect(media[1]['@_fileSize']).toBe('24986239')
    expect(media[1]['@_duration']).toBe('1561')
    expect(media[1]['media:title']['#text']).toBe('Episode 12 &#x26; the engines')
  })

  it('are each an Atom rel="enclosure" link with type, length when known and title', () => {
    expect(atom).toContain(
      `<link rel="enclosure" type="audio/mpeg" length="24986239" title="Episode 12 &#x26; the engines" href="${MP3}"/>`,
    )
    expect(atom).toContain(
      `<link rel="enclosure" type="application/pdf" title="Transcript" href="${PDF}"/>`,
    )
    expect(parseWithFeedparser(atom).entries[2]?.enclosures).toEqual([
      { href: JPEG, type: 'image/jpeg', length: '48000' },
      { href: MP3, type: 'audio/mpeg', length: '24986239' },
      { href: PDF, type: 'application/pdf', length: null },
    ])
  })

  it('are JSON Feed attachments with mime_type, title, size and duration', () => {
    expect(json.items[2].attachments).toEqual([
      {
        url: MP3,
        mime_type: 'audio/mpeg',
        title: 'Episode 12 & the engines',
        size_in_bytes: 24986239,
        duration_in_seconds: 1561,
      },
      { url: PDF, mime_type: 'application/pdf', title: 'Transcript' },
    ])
    expect(json.items[0]).not.toHaveProperty('attachments')
  })

  it('are seen by feedsmith: the enclosure in RSS, every attachment in JSON', () => {
    // biome-ignore lint/suspicious/noExplicitAny: feedsmith's items are loosely typed per format
    const itemsOf = (body: string | object): any[] => (parseFeed(body).feed as any).items
    expect(itemsOf(rss)[2].enclosures).toEqual([{ url: MP3, length: 24986239, type: 'audio/mpeg' }])
    expect(itemsOf(json)[2].attachments.map((a: { url: string }) => a.url)).toEqual([MP3, PDF])
  })
})
