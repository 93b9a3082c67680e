import { XMLParser } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { makeArticle, makeAuthor, makeSite, renderFeed } from '../helpers/builders'
import { checkWellFormed, parseWithFeedparser } from '../helpers/validators'

const parser = new XMLParser({
  ignoreAttributes: false,
  isArray: (name) => ['item', 'category', 'atom:link'].includes(name),
})

function channelOf(xml: string) {
  return parser.parse(xml).rss.channel
}

describe('renderRss', () => {
  it('declares XML 1.0 in UTF-8 and every namespace prefix it uses on the root', () => {
    const xml = renderFeed('rss', [
      makeArticle({ image: { url: 'https://img.test/a.jpg', alt: 'A', credit: 'C' } }),
    ])
    expect(
      xml.startsWith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<?xml-stylesheet type="text/xsl" href="/assets/feed.xsl"?>\n<rss version="2.0"',
      ),
    ).toBe(true)
    const used = new Set([...xml.matchAll(/<\/?([a-z]+):/g)].map((m) => m[1]))
    for (const prefix of used) expect(xml).toMatch(new RegExp(`<rss[^>]* xmlns:${prefix}="`))
    expect(checkWellFormed(xml)).toBe(true)
  })

  it('uses the newest item update as lastBuildDate, in RFC 822 with weekday and numeric zone', () => {
    const older = makeArticle({
      published: '2021-07-19T12:00:00.000Z',
      updated: '2021-07-19T12:00:00.000Z',
    })
    const edited = makeArticle({
      published: '2021-07-18T08:00:00.000Z',
      updated: '2021-07-20T09:30:00.000Z',
    })
    const channel = channelOf(renderFeed('rss', [older, edited]))
    expect(channel.lastBuildDate).toBe('Tue, 20 Jul 2021 09:30:00 +0000')
    expect(channel.item[0].pubDate).toBe('Mon, 19 Jul 2021 12:00:00 +0000')
  })

  it('links rel=self to exactly the requested URL, query included', () => {
    const xml = renderFeed('rss', [makeArticle()], {
      selfUrl: 'https://news.test/rss.xml?limit=5&page=2',
    })
    expect(xml).toContain(
      '<atom:link rel="self" href="https://news.test/rss.xml?limit=5&amp;page=2" type="application/rss+xml"/>',
    )
  })

  it('writes channel title, link, description, language, generator and ttl from max-age', () => {
    const channel = channelOf(
      renderFeed('rss', [makeArticle()], { site: makeSite({ maxAge: 900 }) }),
    )
    expect(channel.title).toBe('The Daily Test')
    expect(channel.link).toBe('https://news.test/')
    expect(channel.description).toBe('Tests, daily.')
    expect(channel.language).toBe('en-us')
    expect(channel.generator).toBe('newswire')
    expect(channel.ttl).toBe(15)
  })

  it('adds <image> with the channel title and link only when the site has a logo', () => {
    expect(renderFeed('rss', [makeArticle()])).not.toContain('<image>')
    const channel = channelOf(
      renderFeed('rss', [makeArticle()], {
        site: makeSite({ logo: 'https://news.test/logo.png' }),
      }),
    )
    expect(channel.image).toEqual({
      url: 'https://news.test/logo.png',
      title: channel.title,
      link: channel.link,
    })
  })

  it('gives each item an opaque guid with isPermaLink="false", dc:creator and one category per term', () => {
    const article = makeArticle({ author: makeAuthor({ name: 'Ada & Co <Ltd>' }) })
    const xml = renderFeed('rss', [article])
    expect(xml).toContain(`<guid isPermaLink="false">${article.id}</guid>`)
    expect(xml).toContain('<dc:creator>Ada &#x26; Co &#x3C;Ltd&#x3E;</dc:creator>')
    expect(xml).not.toMatch(/<author>/)
    const item = channelOf(xml).item[0]
    expect(item.category.map((c: { '#text': string }) => c['#text'])).toEqual([
      'Science',
      'Engines',
    ])
  })

  it('encodes &, < and > in plain-text elements as hexadecimal references', () => {
    const xml = renderFeed('rss', [makeArticle({ title: 'AT&T <beats> "them"' })])
    expect(xml).toContain('<title>AT&#x26;T &#x3C;beats&#x3E; "them"</title>')
  })

  it('puts the summary (escaped as HTML) in description before the full HTML in content:encoded', () => {
    const xml = renderFeed('rss', [
      makeArticle({ summary: 'Fish & <chips>', contentHtml: '<p>Full ]]> body ]]> twice</p>' }),
    ])
    const description = xml.indexOf(
      '<description>Fish &amp;amp; &amp;lt;chips&amp;gt;</description>',
    )
    const content = xml.indexOf(
      '<content:encoded><![CDATA[<p>Full ]]]]><![CDATA[> body ]]]]><![CDATA[> twice</p>]]></content:encoded>',
    )
    expect(description).toBeGreaterThan(0)
    expect(content).toBeGreaterThan(description)
    const entry = parseWithFeedparser(xml).entries[0]
    expect(entry?.content[0]).toBe('<p>Full ]]> body ]]> twice</p>')
  })

  it('describes a lead image with media:content, media:description and media:credit', () => {
    const image = {
      url: 'https://img.test/a.jpg',
      alt: 'A logo',
      credit: 'Jo Bloggs / Agency',
      width: 1200,
      height: 675,
      type: 'image/jpeg',
    }
    const xml = renderFeed('rss', [makeArticle({ image })])
    expect(xml).toContain(
      '<media:content url="https://img.test/a.jpg" medium="image" type="image/jpeg" width="1200" height="675">',
    )
    expect(xml).toContain('<media:description type="plain">A logo</media:description>')
    expect(xml).toContain('<media:credit>Jo Bloggs / Agency</media:credit>')
    expect(parseWithFeedparser(xml).entries[0]?.media_credit).toEqual(['Jo Bloggs / Agency'])
  })

  it('writes no image elements and no enclosure for an image without a URL', () => {
    const xml = renderFeed('rss', [
      makeArticle({ image: { alt: 'Microsoft logo', credit: 'Daniel Rubino / Windows Central' } }),
    ])
    expect(xml).not.toMatch(/media:content|<enclosure|<figure/)
  })

  it('writes one enclosure only when the byte length and type are known', () => {
    const base = { url: 'https://img.test/a.jpg', alt: 'A', credit: 'C' }
    expect(
      renderFeed('rss', [makeArticle({ image: { ...base, type: 'image/jpeg' } })]),
    ).not.toContain('<enclosure')
    const xml = renderFeed('rss', [
      makeArticle({ image: { ...base, type: 'image/jpeg', length: 48213 } }),
    ])
    expect(xml.match(/<enclosure /g)).toHaveLength(1)
    expect(xml).toContain(
      '<enclosure url="https://img.test/a.jpg" length="48213" type="image/jpeg"/>',
    )
  })

  it('links first/next/previous/last pages with atom:link', () => {
    const paging = {
      first: 'https://news.test/rss.xml?limit=1',
      previous: 'https://news.test/rss.xml?limit=1',
      next: 'https://news.test/rss.xml?limit=1&page=3',
      last: 'https://news.test/rss.xml?limit=1&page=4',
    }
    const links = channelOf(renderFeed('rss', [makeArticle()], { paging }))['atom:link']
    expect(links.map((l: Record<string, string>) => l['@_rel'])).toEqual([
      'self',
      'first',
      'previous',
      'next',
      'last',
    ])
  })
})
