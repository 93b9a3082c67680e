import type { Catalog } from '../model/feeds'
import type { Article, FeedDefinition } from '../model/types'

/** Each item already rendered in each format, keyed by format name (`rss`, `atom`, `json`). */
export type Fragments = Readonly<Record<string, string>>

/** An article with its per-format item fragments, rendered once per content version. */
export interface StoredArticle extends Article {
  fragments: Fragments
}

/**
 * What a feed holds at an instant, known without reading its articles: enough to name every
 * view of it (ETag, cache keys) and to answer a conditional request.
 */
export interface FeedState {
  /**
   * Changes when, and only when, the feed's visible items change: one appears, leaves, is
   * edited or moves. A publish elsewhere, or a scheduled article before its minute, leaves it.
   */
  revision: string
  /** RFC 3339: the newest update among the visible items; the epoch when there are none. */
  updated: string
  /**
   * Milliseconds: when the next scheduled article of this feed appears, if one is waiting. Only
   * for the store's own bookkeeping: a response that showed it would tell where an embargoed
   * article is going (see `nextAppearance`).
   */
  next?: number
}

/** A slice of one feed, newest first, as pages show it. */
export interface FeedPage {
  articles: Article[]
  /** Visible articles in the whole feed. */
  total: number
}

/** A visible article as a sitemap lists it: read from what a store keeps beside its records. */
export interface ListedArticle {
  /** The article's immutable id: the same through edits and slug changes. */
  id: string
  slug: string
  /** RFC 3339. */
  published: string
  /** RFC 3339: the last real edit, or `published` when there was none. */
  updated: string
}

/** A slice of every visible article, newest first (the site feed's order), and how many there are. */
export interface Listing {
  articles: ListedArticle[]
  total: number
}

/** An item as a feed sends it: its id, date and the bytes (or text) of one fragment. */
export interface ItemFragment {
  id: string
  published: string
  fragment: Uint8Array | string
}

/** A slice of one feed as item fragments of one key, newest first. */
export interface ItemPage {
  items: ItemFragment[]
  total: number
}

/** An article an aggregator profile may take, with what its rules need to choose. */
export interface StoredCandidate {
  id: string
  published: string
  /** Bytes of its item in this profile's feed. */
  bytes: number
  /** The stored checks: a JSON list of the rules it breaks whatever the day. */
  violations: string
}

/** The newest candidates of a profile feed, and a way to read the items of those it keeps. */
export interface ProfileCandidates {
  candidates: StoredCandidate[]
  /** Articles in the feed stored before this profile's checks existed (a D1 row from an older build). */
  unchecked: string[]
  /** The item fragments (of the key asked for) of the candidates at these indices, in order. */
  read(chosen: readonly number[]): Promise<ItemFragment[]>
}

/** An article page's identity, known before the article is read. */
export interface ArticleState {
  /** Changes whenever the article does. */
  revision: string
  updated: string
  read(): Promise<Article>
}

/**
 * Where articles are kept. Every implementation answers the same queries the same way; every
 * query takes the instant it is asked at, and an article whose `published` is after it does
 * not exist yet, in any answer.
 */
export interface ArticleStore {
  /** What names this deployment's code and configuration: part of every ETag. */
  build(): string
  /**
   * Site, authors, categories, curated feeds, and the tags of articles visible at `now`. A
   * store may answer from a copy it keeps; with `current`, it first makes sure no write has
   * changed it since (before answering that a feed does not exist).
   */
  catalog(now: number, options?: { current?: boolean }): Promise<Catalog>
  state(feed: FeedDefinition, now: number): Promise<FeedState>
  /**
   * Milliseconds: when the next scheduled article appears anywhere on the site, if one is
   * waiting; what every response's freshness is capped to, whatever feed it is in.
   */
  nextAppearance(now: number): Promise<number | undefined>
  /** Visible articles in each of `feeds`, by feed path. */
  counts(feeds: readonly FeedDefinition[], now: number): Promise<Map<string, number>>
  /**
   * The tags (or authors) of articles visible at `now`, busiest first: by articles published
   * since `since`, then by all their articles, then by slug; at most `limit`, with both counts.
   */
  busiest(
    kind: 'tag' | 'author',
    since: number,
    now: number,
    limit: number,
  ): Promise<{ slug: string; recent: number; total: number }[]>
  /** The articles of `feed` from `offset`, at most `limit` of them, newest first. */
  page(feed: FeedDefinition, offset: number, limit: number, now: number): Promise<FeedPage>
  /**
   * Every article visible at `now`, newest first as the site feed has them, from `offset`, at
   * most `limit` (0 for the total alone): slugs and dates only, never an article record.
   */
  listing(offset: number, limit: number, now: number): Promise<Listing>
  /** The same slice as `page`, as the fragment `key` of each item (what a feed sends). */
  items(
    feed: FeedDefinition,
    offset: number,
    limit: number,
    key: string,
    now: number,
  ): Promise<ItemPage>
  /** The newest `limit` articles of a profile feed, with the fragments its rules name. */
  candidates(
    feed: FeedDefinition,
    keys: { item: string; violations: string },
    limit: number,
    now: number,
  ): Promise<ProfileCandidates>
  /** The article published under `slug`, if it is visible at `now`. */
  article(slug: string, now: number): Promise<ArticleState | undefined>
  /** Articles whose scheduled minute lies in (`from`, `to`]: the ones that just appeared. */
  appeared(from: number, to: number): Promise<Article[]>
}
