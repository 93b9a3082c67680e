import type { FeedDefinition, Site } from '../model/types'

/** RFC 5005 §3 links between the pages of a paged feed, as absolute URLs. */
export interface PageLinks {
  first: string
  previous?: string
  next?: string
  last?: string
}

/** What a feed renderer needs beyond its items: all of it known before any item is rendered. */
export interface FeedDocument {
  site: Site
  feed: FeedDefinition
  /** The URL that was requested, query included (RSS `atom:link rel=self`, Atom self link). */
  selfUrl: string
  /** RFC 3339: the newest update among the feed's items (never the clock). */
  updated: string
  paging?: PageLinks
  /**
   * Minutes a reader may cache the feed (RSS `<ttl>`), when fewer than the site's `max_age`:
   * until a scheduled article appears.
   */
  ttl?: number
}

/** A rendered feed as the chunks it is sent in: head, one chunk per item, tail. */
export interface FeedChunks {
  head: string
  items: readonly string[]
  separator: string
  tail: string
}

/** The URL of the HTML page people read a feed on, under `base` (an origin or the site URL). */
export function feedPageUrl(base: string, feed: FeedDefinition): string {
  return `${base}/${feed.path ? `${encodedPathOf(feed)}/` : ''}`
}

// A feed's path percent-encoded, once per definition: list pages link hundreds of feeds, four
// times each, and a definition lives as long as its catalog.
const encodedPaths = new WeakMap<FeedDefinition, string>()

function encodedPathOf(feed: FeedDefinition): string {
  let encoded = encodedPaths.get(feed)
  if (encoded === undefined) {
    encoded = encodePath(feed.path)
    encodedPaths.set(feed, encoded)
  }
  return encoded
}

/** The URL of one of a feed's files (`rss.xml`, `atom.xml`, `feed.json`) under `base`. */
export function feedFileUrl(base: string, feed: FeedDefinition, file: string): string {
  return feedPageUrl(base, feed) + file
}

/** Percent-encodes each segment of a path made of slugs (slugs may hold any letter or emoji). */
export function encodePath(path: string): string {
  // Most slugs are ASCII letters, digits and hyphens, which encodeURIComponent leaves alone.
  if (PLAIN_PATH.test(path)) return path
  return path.split('/').map(encodeURIComponent).join('/')
}

// Characters encodeURIComponent keeps as they are (RFC 3986 unreserved, and `/` between
// segments), less `!'()*`, which it also keeps but a path seldom holds.
const PLAIN_PATH = /^[A-Za-z0-9\-_.~/]*$/

/** Joins rendered chunks into the document they stand for. */
export function joinChunks(chunks: FeedChunks): string {
  return chunks.head + chunks.items.join(chunks.separator) + chunks.tail
}
