import { describe, expect, it } from 'vitest'
import { type ListIndex, listIndex, listRows } from '../../src/routes/list-index'
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
const PLAIN = { origin: 'https://news.test', fediverse: false }

// One entry's row, for `count` articles.
const listRow = (
  index: ListIndex,
  position: number,
  count: number,
  links: typeof PLAIN,
  budget?: number,
) => listRows(index, [position], () => count, links, budget)[0] as Uint8Array

// A row as a reader's page shows it, written out by hand: its link, its count, its files.
function rowOf(path: string, name: string, count: string, after = ''): string {
  const files = [
    ['rss.xml', 'application/rss+xml', 'RSS'],
    ['atom.xml', 'application/atom+xml', 'Atom'],
    ['feed.json', 'application/feed+json', 'JSON Feed'],
  ]
    .map(
      ([file, type, label]) =>
        `<a href="/${path}/${file}" type="${type}" aria-label="${label} feed of ${name}">${label}</a> `,
    )
    .join('')
  return `<tr><th scope="row"><a href="/${path}/">${name}</a></th><td class="count">${count}</td><td class="formats">${files}<button type="button" class="copy" aria-label="Copy RSS address of ${name}">Copy RSS</button>${after}</td></tr>\n`
}

describe('the rows a list keeps rendered', () => {
  const index = listIndex(catalog, 'tags')
  const [alpha, ete, zed] = [0, 1, 2]

  it('renders each entry as its row, escaped and percent-encoded', () => {
    expect(index.entries.map((entry) => entry.item.slug)).toEqual(['alpha', 'été', 'zed'])
    expect(decode(listRow(index, alpha, 2, PLAIN))).toBe(
      rowOf('tags/alpha', 'Alpha &amp; Omega', '2 articles'),
    )
    expect(decode(listRow(index, ete, 1, PLAIN))).toBe(
      rowOf('tags/%C3%A9t%C3%A9', 'Été', '1 article'),
    )
  })

  it('gives the row again for the same count, and a new one when the count moves', () => {
    const first = listRow(index, zed, 3, PLAIN)
    expect(listRow(index, zed, 3, PLAIN)).toBe(first)
    expect(decode(listRow(index, zed, 4, PLAIN))).toBe(rowOf('tags/zed', 'Zed', '4 articles'))
  })

  it('keeps the rows asked for lately, and makes again those not asked for since', () => {
    // A budget of one byte: each row made turns the recent generation into the older one.
    const row = listRow(index, alpha, 5, PLAIN, 1)
    expect(listRow(index, alpha, 5, PLAIN, 1)).toBe(row)
    listRow(index, zed, 5, PLAIN, 1)
    listRow(index, ete, 5, PLAIN, 1)
    const again = listRow(index, alpha, 5, PLAIN, 1)
    expect(again).not.toBe(row)
    expect(decode(again)).toBe(rowOf('tags/alpha', 'Alpha &amp; Omega', '5 articles'))
  })

  it('copies a row asked for from the older generation into the recent one, so the older can go', () => {
    const first = listRow(index, alpha, 7, PLAIN)
    // Each generation holds the first row and not much more.
    const budget = 2 * (first.byteLength + 100)
    const made = listRow(index, alpha, 7, PLAIN, budget)
    listRow(index, zed, 7, PLAIN, budget)
    const again = listRow(index, alpha, 7, PLAIN, budget)
    expect(decode(again)).toBe(decode(made))
    expect(again.buffer).not.toBe(made.buffer)
  })

  it('adds the feed’s fediverse handle when the site federates, for that host only', () => {
    const handle = '@tag__zed@news.test'
    const copy = ` <button type="button" class="copy" data-copy="${handle}" aria-label="Copy handle: follow Zed from the fediverse" title="${handle}">Copy handle</button>`
    const federating = { origin: 'https://news.test', fediverse: true }
    expect(decode(listRow(index, zed, 1, federating))).toBe(
      rowOf('tags/zed', 'Zed', '1 article', copy),
    )
    expect(decode(listRow(index, zed, 1, { ...federating, origin: 'https://other.test' }))).toBe(
      rowOf('tags/zed', 'Zed', '1 article', copy.replaceAll('news.test', 'other.test')),
    )
    expect(decode(listRow(index, zed, 1, PLAIN))).toBe(rowOf('tags/zed', 'Zed', '1 article'))
  })
})
