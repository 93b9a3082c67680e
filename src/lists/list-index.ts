import { alphabetize, foldForSearch, type Lettered } from '../model/alphabet'
import { catalogDigest } from '../model/digest'
import { type Catalog, findFeed } from '../model/feeds'
import type { FeedDefinition } from '../model/types'
import type { ArticleStore } from '../store/types'

/** The lists of feeds there are pages of. */
export type ListKind = 'tags' | 'authors'

type Named = { slug: string; name: string }

/** A list entry with its name as a filter compares it, folded once. */
export interface ListEntry extends Lettered<Named> {
  folded: string
  feed: FeedDefinition
}

/**
 * A list as pages read it, built once per catalog: every entry and where each letter starts.
 * From the first filter on, beside it, for every piece of one to three characters of a folded
 * name the entries that hold it, in list order: a filter reads one of those lists and checks only
 * its entries, so its cost follows from the names, not from the query.
 */
export interface ListIndex {
  entries: ListEntry[]
  /** Each letter and the position of its first entry. */
  letters: { letter: string; start: number }[]
}

// Built at the first filter, not with the list: a list that is only paged never pays for it.
const gramsByIndex = new WeakMap<ListIndex, Map<string, Int32Array>>()

function gramsOf(index: ListIndex): Map<string, Int32Array> {
  let grams = gramsByIndex.get(index)
  if (!grams) {
    grams = indexGrams(index.entries)
    gramsByIndex.set(index, grams)
  }
  return grams
}

const GRAM = 3

function indexGrams(entries: readonly ListEntry[]): Map<string, Int32Array> {
  const lists = new Map<string, number[]>()
  entries.forEach(({ folded }, position) => {
    const seen = new Set<string>()
    for (let at = 0; at < folded.length; at++)
      for (let length = 1; length <= GRAM && at + length <= folded.length; length++)
        seen.add(folded.slice(at, at + length))
    for (const gram of seen) {
      const list = lists.get(gram)
      if (list) list.push(position)
      else lists.set(gram, [position])
    }
  })
  return new Map([...lists].map(([gram, list]) => [gram, Int32Array.from(list)]))
}

function buildIndex(catalog: Catalog, kind: ListKind): ListIndex {
  const items: readonly Named[] = kind === 'tags' ? catalog.tags : catalog.authors
  const entries = alphabetize(items, (item) => item.name, catalog.site.language).map((entry) => ({
    ...entry,
    folded: foldForSearch(entry.name),
    feed: findFeed(catalog, `${kind}/${entry.item.slug}`) as FeedDefinition,
  }))
  const letters: ListIndex['letters'] = []
  entries.forEach((entry, start) => {
    if (letters.at(-1)?.letter !== entry.letter) letters.push({ letter: entry.letter, start })
  })
  return { entries, letters }
}

const indexes = new WeakMap<Catalog, Map<ListKind, ListIndex>>()
// The last index of each kind by the catalog's digest: a store that builds its catalog again
// (D1, after any write) without a change in its names finds the index it had.
const latest = new Map<ListKind, { digest: string; index: ListIndex }>()

/** A catalog's tags or authors, alphabetical in the site's language, indexed for filters. */
export function listIndex(catalog: Catalog, kind: ListKind): ListIndex {
  let byKind = indexes.get(catalog)
  if (!byKind) {
    byKind = new Map()
    indexes.set(catalog, byKind)
  }
  let index = byKind.get(kind)
  if (!index) {
    const digest = catalogDigest(catalog)
    const last = latest.get(kind)
    index = last?.digest === digest ? last.index : buildIndex(catalog, kind)
    latest.set(kind, { digest, index })
    byKind.set(kind, index)
  }
  return index
}

const NONE = new Int32Array(0)

/**
 * Positions (in list order) of the entries whose name holds `query`, accents, case and spacing
 * aside; undefined for no query (every entry). A query of up to three characters is one of the
 * index's lists; a longer one is checked against the entries of its rarest piece only.
 */
export function filterIndex(index: ListIndex, query: string): Int32Array | undefined {
  const wanted = foldForSearch(query)
  if (!wanted) return undefined
  const grams = gramsOf(index)
  if (wanted.length <= GRAM) return grams.get(wanted) ?? NONE
  let rarest: Int32Array = grams.get(wanted.slice(0, GRAM)) ?? NONE
  for (let at = 1; at + GRAM <= wanted.length && rarest.length > 0; at++) {
    const list = grams.get(wanted.slice(at, at + GRAM)) ?? NONE
    if (list.length < rarest.length) rarest = list
  }
  return rarest.filter((position) => index.entries[position]?.folded.includes(wanted))
}

// The first position in `found` (ascending) at or after `start`.
function firstAtOrAfter(found: Int32Array, start: number): number {
  let low = 0
  let high = found.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if ((found[middle] as number) < start) low = middle + 1
    else high = middle
  }
  return low
}

/**
 * Each letter the found entries are under, with the rank (in `found`) of its first one: one
 * search per letter, not a pass over the entries.
 */
export function foundLetters(
  index: ListIndex,
  found: Int32Array | undefined,
): { letter: string; rank: number }[] {
  if (!found) return index.letters.map(({ letter, start }) => ({ letter, rank: start }))
  const letters: { letter: string; rank: number }[] = []
  index.letters.forEach(({ letter, start }, i) => {
    const end = index.letters[i + 1]?.start ?? index.entries.length
    const rank = firstAtOrAfter(found, start)
    if (rank < found.length && (found[rank] as number) < end) letters.push({ letter, rank })
  })
  return letters
}

const counted = new WeakMap<
  ArticleStore,
  Map<ListKind, { key: string; counts: Promise<Int32Array> }>
>()

/**
 * Visible articles in each feed of a list, by the entry's position in the list: read from the
 * store once per catalog and site revision (every article is in the site feed, so no count
 * changes without it), not once per request. On D1 that is one read of `feed_stats` per
 * revision, whichever request first sees it. Kept per store (one per isolate), by value: a
 * store may build its catalog again without anything in it changing. An array by position,
 * not a map by path: a page reads 200 of them, and a lookup by path costs more than the row.
 */
export function listCounts(
  store: ArticleStore,
  catalog: Catalog,
  kind: ListKind,
  revision: string,
  now: number,
): Promise<Int32Array> {
  let byKind = counted.get(store)
  if (!byKind) {
    byKind = new Map()
    counted.set(store, byKind)
  }
  const key = `${catalogDigest(catalog)}|${revision}`
  const known = byKind.get(kind)
  if (known?.key === key) return known.counts
  const { entries } = listIndex(catalog, kind)
  const counts = store
    .counts(
      entries.map((entry) => entry.feed),
      now,
    )
    .then((byPath) => Int32Array.from(entries, (entry) => byPath.get(entry.feed.path) ?? 0))
  const kept = byKind
  kept.set(kind, { key, counts })
  // A failed read is not kept: the next request asks again.
  counts.catch(() => {
    if (kept.get(kind)?.counts === counts) kept.delete(kind)
  })
  return counts
}
