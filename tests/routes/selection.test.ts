import { beforeAll, describe, expect, it } from 'vitest'
import { appFor } from '../helpers/app'
import { articleFile, contentFiles } from '../helpers/content'
import { parseWithFeedparser } from '../helpers/validators'

// Four articles spread over two categories, two authors and three tags, one day apart.
const FILES = contentFiles({
  'content/authors/grace-hopper.yaml': 'name: Grace Hopper\nbio: Writes about compilers.\n',
  'content/articles/engines.md': articleFile({
    id: 'urn:uuid:00000000-0000-4000-8000-000000000001',
    title: 'Engines',
    published: '2026-01-01T00:00:00Z',
    categories: '[science]',
    tags: '[Engines]',
  }),
  'content/articles/compilers.md': articleFile({
    id: 'urn:uuid:00000000-0000-4000-8000-000000000002',
    title: 'Compilers',
    published: '2026-01-02T00:00:00Z',
    author: 'grace-hopper',
    categories: '[science]',
    tags: '[Software]',
  }),
  'content/articles/opera.md': articleFile({
    id: 'urn:uuid:00000000-0000-4000-8000-000000000003',
    title: 'Opera',
    published: '2026-01-03T00:00:00Z',
    categories: '[culture]',
    tags: '[Music]',
  }),
  'content/articles/cobol.md': articleFile({
    id: 'urn:uuid:00000000-0000-4000-8000-000000000004',
    title: 'COBOL at the opera',
    published: '2026-01-04T00:00:00Z',
    updated: '2026-02-01T00:00:00Z',
    author: 'grace-hopper',
    categories: '[culture, science]',
    tags: '[Software, Music]',
  }),
  'feeds/picks.yaml':
    'title: Picks\ndescription: Hand-picked.\ntags: [Engines]\nauthors: [grace-hopper]\nlimit: 2\n',
})

let get: Awaited<ReturnType<typeof appFor>>['get']

beforeAll(async () => {
  ;({ get } = await appFor(FILES))
})

async function titles(path: string): Promise<string[]> {
  const response = await get(path)
  expect(response.status, path).toBe(200)
  return parseWithFeedparser(await response.text()).entries.map((e) => e.title)
}

describe('feed selection', () => {
  it.each([
    ['/rss.xml', ['COBOL at the opera', 'Opera', 'Compilers', 'Engines']],
    ['/categories/science/rss.xml', ['COBOL at the opera', 'Compilers', 'Engines']],
    ['/categories/culture/atom.xml', ['COBOL at the opera', 'Opera']],
    ['/authors/grace-hopper/atom.xml', ['COBOL at the opera', 'Compilers']],
    ['/tags/music/rss.xml', ['COBOL at the opera', 'Opera']],
    ['/tags/engines/rss.xml', ['Engines']],
    ['/feeds/picks/rss.xml', ['COBOL at the opera', 'Compilers']],
    ['/rss.xml?limit=2', ['COBOL at the opera', 'Opera']],
  ])('%s holds exactly its articles, newest first', async (path, expected) => {
    expect(await titles(path)).toEqual(expected)
  })

  it("refuses a limit above a curated feed's own", async () => {
    expect((await get('/feeds/picks/rss.xml?limit=3')).status).toBe(400)
  })

  it("dates each feed by its own newest update, not the site's", async () => {
    expect((await get('/categories/science/rss.xml')).headers.get('last-modified')).toBe(
      'Sun, 01 Feb 2026 00:00:00 GMT',
    )
    expect((await get('/tags/engines/rss.xml')).headers.get('last-modified')).toBe(
      'Thu, 01 Jan 2026 00:00:00 GMT',
    )
    expect(
      parseWithFeedparser(await (await get('/tags/engines/atom.xml')).text()).feed.updated,
    ).toBe('2026-01-01T00:00:00Z')
  })

  it('gives each feed its own ETag', async () => {
    const tags = await Promise.all(
      ['/rss.xml', '/atom.xml', '/rss.xml?limit=2', '/tags/music/rss.xml'].map(async (p) =>
        (await get(p)).headers.get('etag'),
      ),
    )
    expect(new Set(tags).size).toBe(4)
  })
})
