import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type ListIndex, listIndex } from '../../src/lists/list-index'
import { listPageBody, type RowLinks } from '../../src/lists/rows'
import type { ProfileRules } from '../../src/model/profile'
import { PROFILES } from '../../src/profiles/rules'
import { renderFeedRow } from '../../src/render/html/feed-rows'
import { feedLinks } from '../../src/routes/page'
import { makeTag } from '../helpers/builders'
import { contractCatalog } from '../helpers/catalog'

const catalog = {
  ...contractCatalog(),
  tags: [
    makeTag({ slug: 'alpha', name: 'Alpha & Omega' }),
    makeTag({ slug: 'été', name: 'Été' }),
    makeTag({ slug: 'zed', name: 'Zed' }),
  ],
}
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes)
// The links a route gives the rows: the feed's own, for that origin and fediverse setting.
const linksFor = (origin: string, fediverse: boolean): RowLinks => ({
  origin,
  fediverse,
  of: (feed) => feedLinks(origin, feed, fediverse),
})
const PLAIN = linksFor('https://news.test', false)

// A page of rows only (no text around them), each entry with `count` articles.
function rowsOf(
  index: ListIndex,
  positions: number[],
  count: number | ((position: number) => number),
  links: RowLinks = PLAIN,
  budget?: number,
): string {
  const counts = Int32Array.from(index.entries, (_, position) =>
    typeof count === 'number' ? count : count(position),
  )
  const text = Array.from({ length: positions.length + 1 }, () => '')
  const body = listPageBody(text, { index, positions, counts, links }, budget)
  expect(body.chunks).toHaveLength(1)
  expect(body.length).toBe(body.chunks[0]?.byteLength)
  return decode(body.chunks[0] as Uint8Array)
}

const FILES = [
  ['rss.xml', 'application/rss+xml', 'RSS'],
  ['atom.xml', 'application/atom+xml', 'Atom'],
  ['feed.json', 'application/feed+json', 'JSON Feed'],
]

// A row as a reader's page shows it, written out by hand: its link, its count, its files.
function rowOf(path: string, name: string, count: string, after = '', files = FILES): string {
  const links = files
    .map(
      ([file, type, label]) =>
        `<a href="/${path}/${file}" type="${type}" aria-label="${label} feed of ${name}">${label}</a> `,
    )
    .join('')
  return `<tr><th scope="row"><a href="/${path}/">${name}</a></th><td class="count">${count}</td><td class="formats">${links}<button type="button" class="copy" aria-label="Copy RSS address of ${name}">Copy RSS</button>${after}</td></tr>\n`
}

describe('the rows of a list page, written from the list’s template', () => {
  const index = listIndex(catalog, 'tags')
  const [alpha, ete, zed] = [0, 1, 2]

  it('writes each entry as its row, escaped and percent-encoded', () => {
    expect(index.entries.map((entry) => entry.item.slug)).toEqual(['alpha', 'été', 'zed'])
    expect(rowsOf(index, [alpha], 2)).toBe(rowOf('tags/alpha', 'Alpha &amp; Omega', '2 articles'))
    expect(rowsOf(index, [ete], 1)).toBe(rowOf('tags/%C3%A9t%C3%A9', 'Été', '1 article'))
  })

  it('puts the page’s text around the rows, in order', () => {
    const body = listPageBody(['<A>', '<B>', '<C>'], {
      index,
      positions: [zed, alpha],
      counts: new Int32Array(index.entries.length).fill(3),
      links: PLAIN,
    })
    expect(decode(body.chunks[0] as Uint8Array)).toBe(
      `<A>${rowOf('tags/zed', 'Zed', '3 articles')}<B>${rowOf('tags/alpha', 'Alpha &amp; Omega', '3 articles')}<C>`,
    )
    const empty = listPageBody(['<p>No tags match.</p>'], {
      index,
      positions: [],
      counts: new Int32Array(index.entries.length),
      links: PLAIN,
    })
    expect(decode(empty.chunks[0] as Uint8Array)).toBe('<p>No tags match.</p>')
  })

  it('prints each row’s count of the moment, its name and links as before', () => {
    expect(rowsOf(index, [zed], 3)).toBe(rowOf('tags/zed', 'Zed', '3 articles'))
    expect(rowsOf(index, [zed], 0)).toBe(rowOf('tags/zed', 'Zed', '0 articles'))
    expect(rowsOf(index, [zed, zed], 1_234_567)).toBe(
      rowOf('tags/zed', 'Zed', '1234567 articles').repeat(2),
    )
  })

  it('adds the feed’s fediverse handle when the site federates, for that host only', () => {
    const handle = '@tag__zed@news.test'
    const copy = ` <button type="button" class="copy" data-copy="${handle}" aria-label="Copy handle: follow Zed from the fediverse" title="${handle}">Copy handle</button>`
    const federating = linksFor('https://news.test', true)
    expect(rowsOf(index, [zed], 1, federating)).toBe(rowOf('tags/zed', 'Zed', '1 article', copy))
    expect(rowsOf(index, [zed], 1, linksFor('https://other.test', true))).toBe(
      rowOf('tags/zed', 'Zed', '1 article', copy.replaceAll('news.test', 'other.test')),
    )
    expect(rowsOf(index, [zed], 1, PLAIN)).toBe(rowOf('tags/zed', 'Zed', '1 article'))
  })

  it('writes the row of a feed with formats of its own in its own shape', () => {
    // A feed whose profile serves RSS alone: no Atom or JSON Feed links, and no handle.
    const own = { ...index, entries: [...index.entries] }
    const entry = own.entries[zed] as ListIndex['entries'][number]
    own.entries[zed] = { ...entry, feed: { ...entry.feed, profile: PROFILES.msn as ProfileRules } }
    const federating = linksFor('https://news.test', true)
    const handle = '@tag__alpha@news.test'
    const copy = ` <button type="button" class="copy" data-copy="${handle}" aria-label="Copy handle: follow Alpha &amp; Omega from the fediverse" title="${handle}">Copy handle</button>`
    expect(rowsOf(own, [zed, alpha], 2, federating)).toBe(
      rowOf('tags/zed', 'Zed', '2 articles', '', FILES.slice(0, 1)) +
        rowOf('tags/alpha', 'Alpha &amp; Omega', '2 articles', copy),
    )
    expect(rowsOf(own, [alpha, zed], 2)).toBe(
      rowOf('tags/alpha', 'Alpha &amp; Omega', '2 articles') +
        rowOf('tags/zed', 'Zed', '2 articles', '', FILES.slice(0, 1)),
    )
  })

  it('writes what the row renderer prints, for any names, slugs and counts', () => {
    const name = fc.string({ unit: 'grapheme', maxLength: 300 })
    const slug = fc.stringMatching(/^[a-z0-9é東🚀-]{1,40}$/u)
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ slug, name }), {
          minLength: 1,
          maxLength: 400,
          selector: (t) => t.slug,
        }),
        fc.boolean(),
        fc.nat(),
        (tags, fediverse, seed) => {
          const big = listIndex({ ...catalog, tags: tags.map((t) => makeTag(t)) }, 'tags')
          const links = linksFor('https://news.test', fediverse)
          const positions = big.entries.map((_, i) => (i * 7 + seed) % big.entries.length)
          const countOf = (position: number) => (position * 31 + seed) % 1000
          const expected = positions
            .map((position) => {
              const entry = big.entries[position] as ListIndex['entries'][number]
              const feed = feedLinks(links.origin, entry.feed, fediverse)
              return renderFeedRow({ ...feed, count: countOf(position) }).value
            })
            .join('')
          expect(rowsOf(big, positions, countOf, links)).toBe(expected)
        },
      ),
      { numRuns: 40 },
    )
  })

  it('renders as text the rows whose values come after the budget, the same bytes', () => {
    // An entry is kept when 3 bytes a character of its values still fit: with 90 bytes, alpha's
    // (29 characters) and zed's (14) are kept and été's (23) comes after the budget; with 0,
    // every row is text.
    const own = { ...index, entries: [...index.entries] }
    const expected =
      rowOf('tags/alpha', 'Alpha &amp; Omega', '4 articles') +
      rowOf('tags/%C3%A9t%C3%A9', 'Été', '4 articles') +
      rowOf('tags/zed', 'Zed', '4 articles')
    expect(rowsOf(own, [alpha, ete, zed], 4, PLAIN, 90)).toBe(expected)
    expect(rowsOf(own, [zed, ete, alpha], 4, PLAIN, 90)).toBe(
      rowOf('tags/zed', 'Zed', '4 articles') +
        rowOf('tags/%C3%A9t%C3%A9', 'Été', '4 articles') +
        rowOf('tags/alpha', 'Alpha &amp; Omega', '4 articles'),
    )
    expect(rowsOf({ ...index, entries: [...index.entries] }, [alpha, ete, zed], 4, PLAIN, 0)).toBe(
      expected,
    )
  })
})
