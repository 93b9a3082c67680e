import { describe, expect, it } from 'vitest'
import { makeArticle, makeCategory, makeSite, makeTag, renderFeed } from '../helpers/builders'
import { checkJsonFeed } from '../helpers/validators'

describe('renderJsonFeed', () => {
  it('is valid JSON Feed 1.1 with the version URL, feed_url and authors array', () => {
    const feed = JSON.parse(
      renderFeed('json', [makeArticle(), makeArticle()], {
        selfUrl: 'https://news.test/feed.json?limit=2',
      }),
    )
    expect(checkJsonFeed(feed)).toEqual([])
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1')
    expect(feed.feed_url).toBe('https://news.test/feed.json?limit=2')
    expect(feed.home_page_url).toBe('https://news.test/')
    expect(feed.language).toBe('en-US')
    expect(feed.authors).toEqual([{ name: 'The Daily Test', url: 'https://news.test/' }])
  })

  it('writes each item with string id, RFC 3339 dates, authors, tags and both HTML and summary', () => {
    const article = makeArticle({
      published: '2021-07-19T12:00:00.000Z',
      updated: '2021-07-19T13:00:00.000Z',
      categories: [makeCategory({ name: 'Security' })],
      tags: [
        makeTag({ slug: 'security', name: 'Security' }),
        makeTag({ slug: 'apt40', name: 'APT40' }),
      ],
    })
    const [item] = JSON.parse(renderFeed('json', [article])).items
    expect(item).toMatchObject({
      id: article.id,
      url: article.url,
      title: article.title,
      content_html: '<p>Body.</p>',
      summary: 'A summary.',
      date_published: '2021-07-19T12:00:00Z',
      date_modified: '2021-07-19T13:00:00Z',
      authors: [{ name: 'Ada Lovelace', url: 'https://news.test/authors/ada-lovelace/' }],
      tags: ['Security', 'APT40'],
    })
  })

  it('carries the image and its credit in an _image extension only when a URL exists', () => {
    const withUrl = makeArticle({
      image: { url: 'https://img.test/a.jpg', alt: 'A', credit: 'Jo / Agency', width: 800 },
    })
    const without = makeArticle({ image: { alt: 'A', credit: 'Jo / Agency' } })
    const [a, b] = JSON.parse(renderFeed('json', [withUrl, without])).items
    expect(a.image).toBe('https://img.test/a.jpg')
    expect(a._image).toEqual({ alt: 'A', credit: 'Jo / Agency', width: 800 })
    expect(a.content_html).toContain(
      '<figcaption><small>(Image credit: Jo / Agency)</small></figcaption>',
    )
    expect(b).not.toHaveProperty('image')
    expect(b).not.toHaveProperty('_image')
  })

  it('adds next_url when there is an older page, and WebSub hubs when the site has a hub', () => {
    const feed = JSON.parse(
      renderFeed('json', [makeArticle()], {
        site: makeSite({ hub: 'https://hub.test/' }),
        paging: {
          first: 'https://news.test/feed.json?limit=1',
          next: 'https://news.test/feed.json?limit=1&page=2',
        },
      }),
    )
    expect(feed.next_url).toBe('https://news.test/feed.json?limit=1&page=2')
    expect(feed.hubs).toEqual([{ type: 'WebSub', url: 'https://hub.test/' }])
    expect(checkJsonFeed(feed)).toEqual([])
  })

  it('is valid with no items at all', () => {
    const feed = JSON.parse(renderFeed('json', []))
    expect(feed.items).toEqual([])
    expect(checkJsonFeed(feed)).toEqual([])
  })
})
