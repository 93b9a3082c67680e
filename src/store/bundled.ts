import type { Catalog } from '../model/feeds'
import type { Article, FeedDefinition } from '../model/types'
import { type BundleIndex, type FeedIndex, hashRecordChain } from './compile'
import { type ArticleRecord, decodeRecord } from './record'
import { RecordCache } from './record-cache'
import type {
  ArticleState,
  ArticleStore,
  FeedPage,
  FeedState,
  ItemFragment,
  ItemPage,
  Listing,
  ProfileCandidates,
} from './types'

const EPOCH = new Date(0).toISOString()
const EMPTY: FeedIndex = { positions: [], cuts: [] }
/** The site feed, by the one field the index knows it by. */
const SITE: Pick<FeedDefinition, 'path'> = { path: '' }

/** Reads the record called `name` (its bytes), wherever the deployment keeps records. */
export type ReadRecord = (name: string) => Promise<Uint8Array>

/**
 * The store compiled into the Worker. Its index (positions, dates, revisions) is in memory and
 * every query on it is an array slice; article records, the bulk of the archive, are read only
 * when a response is rendered (`read`: static assets in the Worker), and kept in a small cache.
 */
export class BundledStore implements ArticleStore {
  readonly #index: BundleIndex
  readonly #records: RecordCache
  readonly #bySlug: Map<string, number>
  readonly #lateCuts = new Map<string, FeedIndex['cuts'][number]>()
  #catalog: { catalog: Catalog; from: number; until: number } | undefined

  constructor(index: BundleIndex, read: ReadRecord, cacheBytes = 8 * 1024 * 1024) {
    this.#index = index
    this.#records = new RecordCache(read, cacheBytes)
    this.#bySlug = new Map(index.articles.slugs.map((slug, position) => [slug, position]))
  }

  build(): string {
    return this.#index.build
  }

  #published(position: number): number {
    return this.#index.articles.published[position] as number
  }

  // Scheduled articles are the newest of every feed they are in: a prefix of its positions.
  #hidden(positions: readonly number[], now: number): number {
    let hidden = 0
    while (hidden < positions.length && this.#published(positions[hidden] as number) > now) hidden++
    return hidden
  }

  #feed(feed: Pick<FeedDefinition, 'path'>): FeedIndex {
    return this.#index.feeds[feed.path] ?? EMPTY
  }

  // The revision and newest update of a feed with its newest `hidden` articles not yet out.
  #cut(feed: FeedDefinition, hidden: number): FeedIndex['cuts'][number] {
    const index = this.#feed(feed)
    const cut = index.cuts[hidden]
    if (cut) return cut
    // A clock before the build's: computed once per feed and cut.
    const key = `${feed.path}\n${hidden}`
    let late = this.#lateCuts.get(key)
    if (!late) {
      const { records, updated } = this.#index.articles
      const rest = index.positions.slice(hidden)
      late = [
        hashRecordChain(rest.map((p) => records[p] as string)),
        rest.reduce((newest, p) => Math.max(newest, updated[p] as number), 0),
      ]
      this.#lateCuts.set(key, late)
    }
    return late
  }

  async catalog(now: number, _options?: { current?: boolean }): Promise<Catalog> {
    const cached = this.#catalog
    if (cached && now >= cached.from && now < cached.until) return cached.catalog
    // A tag exists from its first article's minute: the oldest of its positions.
    const base = this.#index.catalog
    let from = Number.NEGATIVE_INFINITY
    let until = Number.POSITIVE_INFINITY
    const tags = base.tags.filter((tag) => {
      const positions = this.#index.feeds[`tags/${tag.slug}`]?.positions ?? []
      const first = positions.length ? this.#published(positions.at(-1) as number) : 0
      if (first > now) until = Math.min(until, first)
      else from = Math.max(from, first)
      return first <= now
    })
    const catalog = tags.length === base.tags.length ? base : { ...base, tags }
    this.#catalog = { catalog, from, until }
    return catalog
  }

  async state(feed: FeedDefinition, now: number): Promise<FeedState> {
    const { positions } = this.#feed(feed)
    const hidden = this.#hidden(positions, now)
    const [revision, updated] = this.#cut(feed, hidden)
    return {
      revision,
      updated: updated ? new Date(updated).toISOString() : EPOCH,
      ...(hidden > 0 ? { next: this.#published(positions[hidden - 1] as number) } : {}),
    }
  }

  // Every article is in the site feed: its first hidden position is the next to appear.
  async nextAppearance(now: number): Promise<number | undefined> {
    const { positions } = this.#feed(SITE)
    const hidden = this.#hidden(positions, now)
    return hidden > 0 ? this.#published(positions[hidden - 1] as number) : undefined
  }

  async counts(feeds: readonly FeedDefinition[], now: number): Promise<Map<string, number>> {
    return new Map(
      feeds.map((feed) => {
        const { positions } = this.#feed(feed)
        return [feed.path, positions.length - this.#hidden(positions, now)]
      }),
    )
  }

  // Positions from `from` on whose article is published after `since` (positions run newest first).
  #after(positions: readonly number[], from: number, since: number): number {
    let low = from
    let high = positions.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if (this.#published(positions[middle] as number) > since) low = middle + 1
      else high = middle
    }
    return low - from
  }

  async busiest(kind: 'tag' | 'author', since: number, now: number, limit: number) {
    const catalog = await this.catalog(now)
    const slugs =
      kind === 'tag' ? catalog.tags.map((t) => t.slug) : catalog.authors.map((a) => a.slug)
    const ranked = slugs.map((slug) => {
      const { positions } = this.#index.feeds[`${kind}s/${slug}`] ?? EMPTY
      const hidden = this.#hidden(positions, now)
      return {
        slug,
        recent: this.#after(positions, hidden, since),
        total: positions.length - hidden,
      }
    })
    return ranked
      .sort((a, b) => b.recent - a.recent || b.total - a.total || (a.slug < b.slug ? -1 : 1))
      .slice(0, limit)
  }

  #slice(feed: Pick<FeedDefinition, 'path'>, offset: number, limit: number, now: number) {
    const { positions } = this.#feed(feed)
    const hidden = this.#hidden(positions, now)
    const start = hidden + offset
    return { positions: positions.slice(start, start + limit), total: positions.length - hidden }
  }

  #record(position: number): Promise<ArticleRecord> {
    return this.#records.get(this.#index.articles.records[position] as string).then(decodeRecord)
  }

  #item(position: number, record: ArticleRecord, key: string): ItemFragment {
    const fragment = record.fragment(key)
    const id = this.#index.articles.ids[position] as string
    if (!fragment) throw new Error(`article ${id} has no ${key} fragment`)
    return { id, published: new Date(this.#published(position)).toISOString(), fragment }
  }

  async page(feed: FeedDefinition, offset: number, limit: number, now: number): Promise<FeedPage> {
    const { positions, total } = this.#slice(feed, offset, limit, now)
    const records = await Promise.all(positions.map((p) => this.#record(p)))
    return { articles: records.map((record) => record.article()), total }
  }

  // Slugs and dates are columns of the index: a sitemap of 50,000 articles reads no record.
  async listing(offset: number, limit: number, now: number): Promise<Listing> {
    const { positions, total } = this.#slice(SITE, offset, limit, now)
    const { ids, slugs, updated } = this.#index.articles
    return {
      articles: positions.map((p) => ({
        id: ids[p] as string,
        slug: slugs[p] as string,
        published: new Date(this.#published(p)).toISOString(),
        updated: new Date(updated[p] as number).toISOString(),
      })),
      total,
    }
  }

  async items(
    feed: FeedDefinition,
    offset: number,
    limit: number,
    key: string,
    now: number,
  ): Promise<ItemPage> {
    const { positions, total } = this.#slice(feed, offset, limit, now)
    const records = await Promise.all(positions.map((p) => this.#record(p)))
    return {
      items: positions.map((p, i) => this.#item(p, records[i] as ArticleRecord, key)),
      total,
    }
  }

  async candidates(
    feed: FeedDefinition,
    keys: { item: string; violations: string },
    limit: number,
    now: number,
  ): Promise<ProfileCandidates> {
    const { positions } = this.#feed(feed)
    const hidden = this.#hidden(positions, now)
    const profile = this.#index.profiles[feed.path]
    const bytes = profile?.bytes[keys.item]
    const taken = positions.slice(hidden, hidden + limit)
    const { ids } = this.#index.articles
    // A feed compiled without this profile's checks has no candidates: nothing is unchecked.
    const candidates =
      profile && bytes
        ? taken.map((position, i) => ({
            id: ids[position] as string,
            published: new Date(this.#published(position)).toISOString(),
            bytes: bytes[hidden + i] as number,
            violations: profile.violations[hidden + i] as string,
          }))
        : []
    return {
      candidates,
      unchecked: [],
      read: async (chosen) => {
        const wanted = chosen.map((i) => taken[i] as number)
        const records = await Promise.all(wanted.map((p) => this.#record(p)))
        return wanted.map((p, i) => this.#item(p, records[i] as ArticleRecord, keys.item))
      },
    }
  }

  async article(slug: string, now: number): Promise<ArticleState | undefined> {
    const position = this.#bySlug.get(slug)
    if (position === undefined || this.#published(position) > now) return undefined
    const { records, updated } = this.#index.articles
    return {
      revision: records[position] as string,
      updated: new Date(updated[position] as number).toISOString(),
      read: async () => (await this.#record(position)).article(),
    }
  }

  async appeared(from: number, to: number): Promise<Article[]> {
    const { published } = this.#index.articles
    const positions: number[] = []
    // Newest first: skip what is still scheduled after `to`, take down to `from`.
    for (let p = 0; p < published.length && (published[p] as number) > from; p++)
      if ((published[p] as number) <= to) positions.push(p)
    return Promise.all(positions.map(async (p) => (await this.#record(p)).article()))
  }
}
