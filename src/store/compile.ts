import { type Catalog, listFeeds } from '../model/feeds'
import { hash64 } from '../model/hash'
import type { Article, FeedDefinition } from '../model/types'
import { encodeRecord } from './record'
import type { Fragments } from './types'

/** The articles of the bundled store as columns, newest first (position 0 is the newest). */
export interface ArticleColumns {
  ids: string[]
  slugs: string[]
  /** Milliseconds since the epoch. */
  published: number[]
  updated: number[]
  /** The name of each article's record (a static asset, named by its content). */
  records: string[]
}

/**
 * A feed as the bundled store answers it: the positions of its articles, newest first, and for
 * each of its first `cuts.length` cuts (the newest k articles not yet visible) the revision and
 * newest update of what remains. Cuts beyond are computed when asked (a clock before the build).
 */
export interface FeedIndex {
  positions: number[]
  cuts: [revision: string, updated: number][]
}

/** What a profile feed's rules need of each of its articles, aligned with its positions. */
export interface ProfileIndex {
  /** The stored checks of each article (a JSON list; `[]` when it breaks no rule). */
  violations: string[]
  /** Bytes of each article's item, by fragment key. */
  bytes: Record<string, number[]>
}

/** The bundled store's index: everything a request reads before it reads an article record. */
export interface BundleIndex {
  /** Names the code that rendered it: part of every ETag. */
  build: string
  catalog: Catalog
  articles: ArticleColumns
  feeds: Record<string, FeedIndex>
  profiles: Record<string, ProfileIndex>
}

/** The compiled bundled store: its index, and the records the index names. */
export interface CompiledBundle {
  index: BundleIndex
  records: Map<string, Uint8Array>
}

/** What the build decides beside the content. */
export interface CompileOptions {
  /** Names a record by its bytes (a content hash); `position` is the article's. */
  nameRecord(bytes: Uint8Array, position: number): string
  /** Whether to keep a record's bytes in the result (all unless said: benchmarks share some). */
  keepRecord?: (position: number) => boolean
  /** Names the code (renderers, pages, headers) of this build. */
  build: string
  /** The build's clock (ms): cuts are precomputed for articles scheduled after it. */
  now: number
}

/** The revision of a feed whose visible articles are the records `names`, newest first. */
export function hashRecordChain(names: readonly string[], from = 0): string {
  let revision = hash64('')
  for (let i = names.length - 1; i >= from; i--) revision = hash64(`${revision}|${names[i]}`)
  return revision
}

// Every cut from "all visible" to "the first `hidden` not yet": one pass from the oldest.
function cutsOf(
  positions: readonly number[],
  columns: ArticleColumns,
  hidden: number,
): FeedIndex['cuts'] {
  const cuts: FeedIndex['cuts'] = []
  let revision = hash64('')
  let updated = 0
  for (let i = positions.length - 1; i >= 0; i--) {
    const position = positions[i] as number
    revision = hash64(`${revision}|${columns.records[position]}`)
    updated = Math.max(updated, columns.updated[position] as number)
    if (i <= hidden) cuts[i] = [revision, updated]
  }
  if (positions.length <= hidden) cuts[positions.length] = [hash64(''), 0]
  return cuts
}

function profileIndex(
  feed: FeedDefinition,
  positions: readonly number[],
  fragments: readonly Fragments[],
  keys: { item: (format: string) => string; violations: string },
): ProfileIndex | undefined {
  const rules = feed.profile
  if (!rules) return undefined
  const encoder = new TextEncoder()
  const bytes: Record<string, number[]> = {}
  for (const format of rules.formats) {
    const key = keys.item(format)
    bytes[key] = positions.map((p) => encoder.encode(fragments[p]?.[key] ?? '').byteLength)
  }
  return {
    violations: positions.map((p) => fragments[p]?.[keys.violations] ?? '[]'),
    bytes,
  }
}

// Each membership's articles, by position (newest first): one pass over the articles, so that
// 50,000 tag feeds cost no more than the articles' tags do.
function membershipLists(articles: readonly Article[]): Map<string, number[]> {
  const lists = new Map<string, number[]>()
  const add = (key: string, position: number) => {
    const list = lists.get(key)
    if (list) list.push(position)
    else lists.set(key, [position])
  }
  articles.forEach((article, position) => {
    add('site', position)
    for (const c of article.categories) add(`categories:${c.slug}`, position)
    for (const t of article.tags) add(`tags:${t.slug}`, position)
    add(`authors:${article.author.slug}`, position)
  })
  return lists
}

// A feed's positions: its membership's list, or for a feed of several (any-of) their union.
function positionsOf(feed: FeedDefinition, lists: ReadonlyMap<string, number[]>): number[] {
  const { categories, tags, authors } = feed.filter
  const keys = [
    ...categories.map((slug) => `categories:${slug}`),
    ...tags.map((slug) => `tags:${slug}`),
    ...authors.map((slug) => `authors:${slug}`),
  ]
  if (keys.length === 0) return [...(lists.get('site') ?? [])]
  if (keys.length === 1) return [...(lists.get(keys[0] as string) ?? [])]
  const union = new Set(keys.flatMap((key) => lists.get(key) ?? []))
  return [...union].sort((a, b) => a - b)
}

/**
 * Compiles the bundled store from articles (newest first) and their fragments: a record per
 * article, and for every feed its positions, its revisions for each scheduled cut and, for
 * profile feeds, what their rules read (`profileKeys` names a profile's fragments).
 */
export function compileBundle(
  catalog: Catalog,
  articles: readonly Article[],
  fragments: readonly Fragments[],
  profileKeys: (feed: FeedDefinition) => { item: (format: string) => string; violations: string },
  options: CompileOptions,
): CompiledBundle {
  const records = new Map<string, Uint8Array>()
  const columns: ArticleColumns = { ids: [], slugs: [], published: [], updated: [], records: [] }
  articles.forEach((article, position) => {
    const bytes = encodeRecord({ ...article, fragments: fragments[position] as Fragments })
    const name = options.nameRecord(bytes, position)
    if (options.keepRecord?.(position) ?? true) records.set(name, bytes)
    columns.ids.push(article.id)
    columns.slugs.push(article.slug)
    columns.published.push(Date.parse(article.published))
    columns.updated.push(Date.parse(article.updated))
    columns.records.push(name)
  })
  const feeds: BundleIndex['feeds'] = {}
  const profiles: BundleIndex['profiles'] = {}
  const lists = membershipLists(articles)
  for (const feed of listFeeds(catalog)) {
    const positions = positionsOf(feed, lists)
    let scheduled = 0
    while (
      scheduled < positions.length &&
      (columns.published[positions[scheduled] as number] as number) > options.now
    )
      scheduled++
    feeds[feed.path] = { positions, cuts: cutsOf(positions, columns, scheduled) }
    const profile = profileIndex(feed, positions, fragments, profileKeys(feed))
    if (profile) profiles[feed.path] = profile
  }
  return {
    index: { build: options.build, catalog, articles: columns, feeds, profiles },
    records,
  }
}
