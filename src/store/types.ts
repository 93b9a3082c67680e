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

/** Where articles are kept. Every implementation answers the same queries the same way. */
export interface ArticleStore {
  /** Changes whenever any article, the catalog or the rendering of items changes. */
  version(): Promise<string>
  catalog(): Promise<Catalog>
  /** The articles of `feed` from `offset`, at most `limit` of them, newest first. */
  page(feed: FeedDefinition, offset: number, limit: number): Promise<FeedPage>
  /** The article published under `slug`, if any. */
  article(slug: string): Promise<StoredArticle | undefined>
}
