import { XMLParser } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { listFeeds } from '../../src/model/feeds'
import {
  makeArticle,
  makeAuthor,
  makeCategory,
  makeSite,
  makeTag,
  renderFeed,
} from '../helpers/builders'
import { checkAtomRelaxNg, checkAtomRules, checkWellFormed } from '../helpers/validators'

const parser = new XMLParser({
  ignoreAttributes: false,
  htmlEntities: true,
  isArray: (name) => ['entry', 'link', 'category'].includes(name),
})

describe('renderAtom', () => {
  it('is valid against the RFC 4287 RELAX NG schema and the rules it cannot express', () => {
    const xml = renderFeed('atom', [
      makeArticle(),
      makeArticle({
        image: {
          url: 'https://img.test/x.png',
          alt: 'X',
          credit: 'Y',
          type: 'image/png',
          length: 10,
        },
      }),
    ])
    expect(checkWellFormed(xml)).toBe(true)
    expect(checkAtomRelaxNg(xml)).toBe('')
    expect(checkAtomRules(xml)).toEqual([])
  })

  it('sets feed updated to the newest entry update in RFC 3339, never the clock', () => {
    const a = makeArticle({
      published: '2020-02-29T23:59:59.000Z',
      updated: '2020-03-01T00:00:00.000Z',
    })
    const b = makeArticle({
      published: '2019-01-01T00:00:00.000Z',
      updated: '2019-01-01T00:00:00.000Z',
    })
    const feed = parser.parse(renderFeed('atom', [a, b])).feed
    expect(feed.updated).toBe('2020-03-01T00:00:00Z')
    expect(feed.entry[0].published).toBe('2020-02-29T23:59:59Z')
  })

  it('gives every feed a distinct, query-free id', () => {
    const site = makeSite()
    const catalog = {
      site,
      authors: [makeAuthor()],
      categories: [makeCategory()],
      tags: [makeTag()],
      curated: [],
    }
    const ids = listFeeds(catalog).map(
      (feed) =>
        parser.parse(renderFeed('atom', [], { site, feed, selfUrl: 'https://news.test/x?limit=3' }))
          .feed.id,
    )
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toContain('https://news.test/categories/science/atom.xml')
    expect(ids.every((id: string) => !id.includes('?'))).toBe(true)
  })

  it('has exactly one self link (the requested URL) and one text/html alternate', () => {
    const links = parser.parse(
      renderFeed('atom', [makeArticle()], { selfUrl: 'https://news.test/atom.xml?limit=2' }),
    ).feed.link
    expect(links.filter((l: Record<string, string>) => l['@_rel'] === 'self')).toEqual([
      {
        '@_rel': 'self',
        '@_type': 'application/atom+xml',
        '@_href': 'https://news.test/atom.xml?limit=2',
      },
    ])
    expect(links.filter((l: Record<string, string>) => l['@_rel'] === 'alternate')).toEqual([
      { '@_rel': 'alternate', '@_type': 'text/html', '@_href': 'https://news.test/' },
    ])
  })

  it('writes entry author name and uri, categories with term and label, summary and html content', () => {
    const article = makeArticle({ summary: 'Less <than> more', contentHtml: '<p>A &amp; B</p>' })
    const entry = parser.parse(renderFeed('atom', [article])).feed.entry[0]
    expect(entry.id).toBe(article.id)
    expect(entry.author).toEqual({
      name: 'Ada Lovelace',
      uri: 'https://news.test/authors/ada-lovelace/',
    })
    expect(entry.category).toEqual([
      { '@_term': 'science', '@_scheme': 'https://news.test/categories/', '@_label': 'Science' },
      { '@_term': 'engines', '@_scheme': 'https://news.test/tags/', '@_label': 'Engines' },
    ])
    expect(entry.summary).toEqual({ '#text': 'Less <than> more', '@_type': 'text' })
    expect(entry.content).toEqual({ '#text': '<p>A &amp; B</p>', '@_type': 'html' })
  })

  it('names the generator, icon, logo and rights', () => {
    const site = makeSite({
      icon: 'https://news.test/icon.png',
      logo: 'https://news.test/logo.png',
    })
    const feed = parser.parse(renderFeed('atom', [], { site })).feed
    expect(feed.generator).toBe('newswire')
    expect(feed.icon).toBe('https://news.test/icon.png')
    expect(feed.logo).toBe('https://news.test/logo.png')
    expect(feed.rights['#text']).toBe('© 2026 The Daily Test')
    expect(feed['@_xml:lang']).toBe('en-US')
  })
})
