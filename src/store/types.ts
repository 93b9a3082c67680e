import type { Catalog } from '../model/feeds'
import type { Article, FeedDefinition } from '../model/types'

/** Each item already rendered in each format, keyed by format name (`rss`, `atom`, `json`). */
export type Fragments = Readonly<Record<string, string>>

/** An article with its per-format item fragments, rendered once per content version. */
export interface StoredArticle extends Article {
  fragments: Fragments
}

/** A slice of one feed, newest first. */
export interface FeedPage {
  articles: StoredArticle[]
  /** Articles in the whole feed. */
  total: number
  /** RFC 3339: the newest update in the whole feed, or of the site when the feed is empty. */
  updated: string
}

/** An item as a feed needs it: its id, date and the fragments asked for. */
export type ItemFragment = Pick<StoredArticle, 'id' | 'published' | 'fragments'>

/** A slice of one feed as item fragments of one format, newest first. */
export interface ItemPage {
  items: ItemFragment[]
  total: number
  updated: string
}

/** Where articles are kept. Every implementation answers the same queries the same way. */
export interface ArticleStore {
  /** Changes whenever any article, the catalog or the rendering of items changes. */
  version(): Promise<string>
  catalog(): Promise<Catalog>
  /** The articles of `feed` from `offset`, at most `limit` of them, newest first. */
  page(feed: FeedDefinition, offset: number, limit: number): Promise<FeedPage>
  /** The same slice as `page`, with only the fragments named by `keys` (what a feed sends). */
  items(
    feed: FeedDefinition,
    offset: number,
    limit: number,
    keys: readonly string[],
  ): Promise<ItemPage>
  /** The article published under `slug`, if any. */
  article(slug: string): Promise<StoredArticle | undefined>
}
