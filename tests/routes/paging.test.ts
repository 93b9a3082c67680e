import { beforeAll, describe, expect, it } from 'vitest'
import { appFor } from '../helpers/app'
import { articleFile, contentFiles } from '../helpers/content'
import { parseWithFeedparser } from '../helpers/validators'

// Seven articles a day apart: pages of three are 3 + 3 + 1.
const FILES = contentFiles(
  Object.fromEntries(
    Array.from({ length: 7 }, (_, i) => [
      `content/articles/a${i}.md`,
      articleFile({
        id: `urn:uuid:00000000-0000-4000-8000-00000000000${i}`,
        title: `Day ${i}`,
        published: `2026-01-0${i + 1}T00:00:00Z`,
      }),
    ]),
  ),
)
const NEWEST_FIRST = [
  'Day 6',
  'Day 5',
  'Day 4',
  'Day 3',
  'Day 2',
  'Day 1',
  'Day 0',
  'Engines of change',
]

let get: Awaited<ReturnType<typeof appFor>>['get']

beforeAll(async () => {
  ;({ get } = await appFor(
    new Map([...FILES].filter(([path]) => path !== 'content/articles/engines.md')),
  ))
})

const path = (url: string) => {
  const { pathname, search } = new URL(url)
  return pathname + search
}

describe('paging (RFC 5005)', () => {
  it.each(['rss.xml', 'atom.xml'])(
    'walks %s from first to last through next links that feedparser reads',
    async (file) => {
      const titles: string[] = []
      let next: string | undefined = `/${file}?limit=3`
      let pages = 0
      while (next) {
        const response = await get(next)
        expect(response.status, next).toBe(200)
        const feed = parseWithFeedparser(await response.text())
        const links = Object.fromEntries(feed.feed.links.map((l) => [l.rel, l.href]))
        expect(links.first).toBe(`http://127.0.0.1:8787/${file}?limit=3`)
        expect(links.last).toBe(`http://127.0.0.1:8787/${file}?limit=3&page=3`)
        expect(links.self).toBe(`http://127.0.0.1:8787${next}`)
        expect(links.previous).toBe(
          pages > 0
            ? `http://127.0.0.1:8787/${file}?limit=3${pages > 1 ? `&page=${pages}` : ''}`
            : undefined,
        )
        titles.push(...feed.entries.map((e) => e.title))
        next = links.next ? path(links.next) : undefined
        pages += 1
      }
      expect(pages).toBe(3)
      expect(titles).toEqual(NEWEST_FIRST.slice(0, 7))
    },
  )

  it('walks JSON Feed through next_url', async () => {
    const titles: string[] = []
    let next: string | undefined = '/feed.json?limit=3'
    while (next) {
      const feed = (await (await get(next)).json()) as {
        items: { title: string }[]
        next_url?: string
      }
      titles.push(...feed.items.map((i) => i.title))
      next = feed.next_url ? path(feed.next_url) : undefined
    }
    expect(titles).toEqual(NEWEST_FIRST.slice(0, 7))
  })

  it('answers a page past the end with 404', async () => {
    expect((await get('/rss.xml?limit=3&page=4')).status).toBe(404)
  })

  it('adds no paging links when one page holds the whole feed', async () => {
    const feed = parseWithFeedparser(await (await get('/atom.xml')).text())
    expect(feed.feed.links.map((l) => l.rel).sort()).toEqual(['alternate', 'self'])
  })
})
