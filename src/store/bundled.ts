import type { Catalog } from '../model/feeds'
import type { FeedDefinition } from '../model/types'
import type { ArticleStore, FeedPage, ItemPage, StoredArticle } from './types'

/** What the build writes for the bundled store: articles newest first and an index per feed. */
export interface BundleData {
  version: string
  catalog: Catalog
  articles: StoredArticle[]
  /** Feed path → positions in `articles`, newest first, and the feed's newest update. */
  feeds: Record<string, { positions: number[]; updated: string }>
  /** RFC 3339: the newest update anywhere, the date of an empty feed. */
  updated: string
}

/** The store compiled into the Worker: every query is an array slice, no I/O. */
export class BundledStore implements ArticleStore {
  readonly #data: BundleData
  readonly #bySlug: Map<string, StoredArticle>

  constructor(data: BundleData) {
    this.#data = data
    this.#bySlug = new Map(data.articles.map((article) => [article.slug, article]))
  }

  async version(): Promise<string> {
    return this.#data.version
  }

  async catalog(): Promise<Catalog> {
    return this.#data.catalog
  }

  async page(feed: FeedDefinition, offset: number, limit: number): Promise<FeedPage> {
    const index = this.#data.feeds[feed.path]
    if (!index) return { articles: [], total: 0, updated: this.#data.updated }
    const articles = this.#data.articles
    return {
      articles: index.positions
        .slice(offset, offset + limit)
        .map((position) => articles[position] as StoredArticle),
      total: index.positions.length,
      updated: index.updated,
    }
  }

  async items(
    feed: FeedDefinition,
    offset: number,
    limit: number,
    _keys: readonly string[],
  ): Promise<ItemPage> {
    // Every format's fragments are in memory already: the articles themselves are the items.
    const { articles, ...rest } = await this.page(feed, offset, limit)
    return { items: articles, ...rest }
  }

  async article(slug: string): Promise<StoredArticle | undefined> {
    return this.#bySlug.get(slug)
  }
}
