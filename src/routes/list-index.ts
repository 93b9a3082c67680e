import { MemoryCache } from '../http/memory-cache'
import { alphabetize, foldForSearch, type Lettered } from '../model/alphabet'
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

const entries = new WeakMap<Catalog, Map<ListKind, ListEntry[]>>()

/**
 * A catalog's tags or authors, alphabetical in the site's language, each with its folded name
 * and its feed: built once per catalog, so that a filter is a scan of ready strings whatever
 * the query.
 */
export function listEntries(catalog: Catalog, kind: ListKind): ListEntry[] {
  let byKind = entries.get(catalog)
  if (!byKind) {
    byKind = new Map()
    entries.set(catalog, byKind)
  }
  let list = byKind.get(kind)
  if (!list) {
    const items: readonly Named[] = kind === 'tags' ? catalog.tags : catalog.authors
    list = alphabetize(items, (item) => item.name, catalog.site.language).map((entry) => ({
      ...entry,
      folded: foldForSearch(entry.name),
      feed: findFeed(catalog, `${kind}/${entry.item.slug}`) as FeedDefinition,
    }))
    byKind.set(kind, list)
  }
  return list
}

/** The entries whose name holds `query`, accents, case and spacing aside. */
export function filterEntries(list: readonly ListEntry[], query: string): readonly ListEntry[] {
  const wanted = foldForSearch(query)
  return wanted ? list.filter((entry) => entry.folded.includes(wanted)) : list
}

const counted = new WeakMap<
  Catalog,
  Map<ListKind, { revision: string; counts: Promise<Map<string, number>> }>
>()

/**
 * Visible articles in each feed of a list, by feed path: read from the store once per catalog
 * and site revision (every article is in the site feed, so no count changes without it), not
 * once per request. On D1 that is one read of `feed_stats` per revision.
 */
export function listCounts(
  store: ArticleStore,
  catalog: Catalog,
  kind: ListKind,
  revision: string,
  now: number,
): Promise<Map<string, number>> {
  let byKind = counted.get(catalog)
  if (!byKind) {
    byKind = new Map()
    counted.set(catalog, byKind)
  }
  const known = byKind.get(kind)
  if (known?.revision === revision) return known.counts
  const counts = store.counts(
    listEntries(catalog, kind).map((entry) => entry.feed),
    now,
  )
  byKind.set(kind, { revision, counts })
  // A failed read is not kept: the next request asks again.
  counts.catch(() => {
    if (byKind.get(kind)?.counts === counts) byKind.delete(kind)
  })
  return counts
}

/** Bytes of filtered list pages one isolate keeps, apart from every other response. */
const QUERY_BUDGET = 2 * 1024 * 1024
const queryCaches = new WeakMap<MemoryCache, MemoryCache>()

/**
 * The cache of filtered list pages beside an isolate's response cache: a query is chosen by
 * whoever sends it, so its pages are kept in a small budget of their own (and not at the edge),
 * where any number of distinct queries evicts only other queries' pages.
 */
export function queryCacheOf(memory: MemoryCache): MemoryCache {
  let cache = queryCaches.get(memory)
  if (!cache) {
    cache = new MemoryCache(QUERY_BUDGET)
    queryCaches.set(memory, cache)
  }
  return cache
}
