import { describe, expect, it } from 'vitest'
import { appFor } from '../helpers/app'
import { contentFiles, problemsOf } from '../helpers/content'

// A site moved in from WordPress: its old feed and post addresses, as `npm run migrate` writes them.
const REDIRECTS = `- from: /feed/
  to: /rss.xml
- from: /feed/atom/
  to: /atom.xml
- from: /?feed=rss2
  to: /rss.xml
- from: /?feed=rss2&cat=7
  to: /categories/science/rss.xml
- from: /category/science/feed/
  to: /categories/science/rss.xml
- from: /tag/engines/feed/
  to: /tags/engines/rss.xml
- from: /2026/01/02/engines-of-change/
  to: /articles/engines/
- from: /2026/01/02/%D0%BC%D0%B0%D1%88%D0%B8%D0%BD%D1%8B/
  to: https://news.test/articles/engines/
- from: /comments/feed/
  status: 410
- from: /old-partner/
  to: https://partner.example/news/
  external: true
`

describe('old addresses', () => {
  const app = () => appFor(contentFiles({ 'content/redirects.yaml': REDIRECTS }))

  it('answer 301 to the new feed, with an absolute Location, cacheable', async () => {
    const { get } = await app()
    for (const [from, to] of [
      ['/feed/', '/rss.xml'],
      ['/feed', '/rss.xml'],
      ['/feed/atom/', '/atom.xml'],
      ['/?feed=rss2', '/rss.xml'],
      ['/?cat=7&feed=rss2', '/categories/science/rss.xml'],
      ['/?feed=rss2&cat=7&utm_source=x', '/categories/science/rss.xml'],
      ['/category/science/feed/', '/categories/science/rss.xml'],
      ['/tag/engines/feed/', '/tags/engines/rss.xml'],
      ['/2026/01/02/engines-of-change/', '/articles/engines/'],
      // A permalink with a Cyrillic slug, percent-encoded or not.
      ['/2026/01/02/%D0%BC%D0%B0%D1%88%D0%B8%D0%BD%D1%8B/', '/articles/engines/'],
      ['/2026/01/02/машины/', '/articles/engines/'],
    ]) {
      const response = await get(from as string)
      expect(response.status, from).toBe(301)
      expect(response.headers.get('location'), from).toBe(`http://127.0.0.1:8787${to}`)
      expect(response.headers.get('cache-control')).toBe('public, max-age=86400')
    }
    const head = await get('/feed/', { method: 'HEAD' })
    expect(head.status).toBe(301)
  })

  it('the redirect leads to a feed that answers 200, and the index is still the index', async () => {
    const { get } = await app()
    const moved = await get('/feed/')
    const feed = await get(new URL(moved.headers.get('location') as string).pathname)
    expect(feed.status).toBe(200)
    expect((await get('/')).status).toBe(200)
    expect((await get('/?feed=atom')).status).toBe(200)
  })

  it('answers 410 for comment feeds, and follows a rule marked external off-site', async () => {
    const { get } = await app()
    expect((await get('/comments/feed/')).status).toBe(410)
    const partner = await get('/old-partner/')
    expect(partner.headers.get('location')).toBe('https://partner.example/news/')
    expect((await get('/nothing-here/')).status).toBe(404)
  })
})

describe('content/redirects.yaml is checked at build', () => {
  const problems = (yaml: string) => problemsOf(contentFiles({ 'content/redirects.yaml': yaml }))

  it.each([
    [
      'a chain',
      '- from: /a/\n  to: /b/\n- from: /b/\n  to: /rss.xml\n',
      'content/redirects.yaml: 0.to: leads to redirect 1 (/b/): point it at the final address, no chains or loops',
    ],
    [
      'a loop',
      '- from: /a/\n  to: /a/\n',
      'content/redirects.yaml: 0.to: /a/ is not an address newswire serves',
    ],
    [
      'another site, unmarked',
      '- from: /a/\n  to: https://elsewhere.example/\n',
      'content/redirects.yaml: 0.to: points to another site (https://elsewhere.example); add "external: true" if that is meant',
    ],
    [
      'an article that does not exist',
      '- from: /a/\n  to: /articles/nope/\n',
      'content/redirects.yaml: 0.to: /articles/nope/ names articles/nope, which does not exist',
    ],
    [
      'a repeated from',
      '- from: /a/\n  to: /rss.xml\n- from: /a\n  to: /atom.xml\n',
      'content/redirects.yaml: 1.from: repeats the "from" of redirect 0',
    ],
    [
      "newswire's own address",
      '- from: /rss.xml\n  to: /atom.xml\n',
      "content/redirects.yaml: 0.from: is newswire's own address /rss.xml: a redirect would hide it",
    ],
    [
      '410 with a target',
      '- from: /a/\n  to: /rss.xml\n  status: 410\n',
      'content/redirects.yaml: 0.to: must be left out: 410 says the page is gone',
    ],
    [
      'a full URL as from',
      '- from: https://old.example/feed/\n  to: /rss.xml\n',
      'content/redirects.yaml: 0.from: must be a path starting with /',
    ],
  ])('%s', (_, yaml, expected) => {
    expect(problems(yaml)).toContain(expected)
  })

  it('a loop through two rules is a chain', () => {
    expect(problems('- from: /a/\n  to: /b/\n- from: /b/\n  to: /a/\n')).toEqual(
      expect.arrayContaining([
        expect.stringContaining('0.to: leads to redirect 1'),
        expect.stringContaining('1.to: leads to redirect 0'),
      ]),
    )
  })
})
