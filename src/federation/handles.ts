import anyAscii from 'any-ascii'
import { type Catalog, listFeeds } from '../model/feeds'
import { hash64 } from '../model/hash'
import type { FeedDefinition } from '../model/types'

// Mastodon accepts dots and hyphens inside remote usernames, but local ones, Misskey's and
// Threads' are `[a-z0-9_]` (Mastodon app/models/account.rb USERNAME_RE; mastodon#10453): a
// handle uses only those, so every receiving server takes it as it is.
const HANDLE = /^[a-z0-9]+(?:_{1,2}[a-z0-9]+)*$/

/** The site feed's handle; a category whose slug is `site` is prefixed like other kinds. */
export const SITE_HANDLE = 'site'

// Slugs never hold `_` (src/model/slug.ts) and join their runs with single hyphens, so `__`
// marks a kind (`author__jane_doe`) or a transliterated slug's hash, and nothing else.
const PREFIX: Record<FeedDefinition['kind'], string> = {
  site: '',
  category: 'category__',
  author: 'author__',
  tag: 'tag__',
  curated: 'feed__',
}

function asciiSlug(slug: string): string {
  return slug.replace(/-/g, '_')
}

// A slug with letters outside ASCII (`ελλάδα`, `人工智能`) is transliterated for reading and
// suffixed with a hash of the slug itself, so two slugs that read alike keep two handles.
function transliterated(slug: string): string {
  const words = anyAscii(slug)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
  const mark = hash64(slug).slice(0, 8)
  return `${words || 'u'}__${mark}`
}

function slugOf(feed: FeedDefinition): string {
  return feed.path.slice(feed.path.indexOf('/') + 1)
}

/**
 * A feed's handle, `@handle@host` in the fediverse: `site`; a category's slug (`security`,
 * `world_news`); `author__jane_doe`, `tag__hafnium`, `feed__top_stories`. Stable while the
 * slug is, unique across kinds, and within `[a-z0-9_]`.
 */
export function handleOf(feed: FeedDefinition): string {
  if (feed.kind === 'site') return SITE_HANDLE
  const slug = slugOf(feed)
  const ascii = /^[a-z0-9-]+$/.test(slug)
  const base = ascii ? asciiSlug(slug) : transliterated(slug)
  if (feed.kind === 'category' && ascii && slug !== SITE_HANDLE) return base
  return PREFIX[feed.kind] + base
}

/** Whether `value` has the shape of a handle (checked before any lookup). */
export function isHandle(value: string): boolean {
  return value.length <= 200 && HANDLE.test(value)
}

/** The feeds that are actors: every feed but the aggregator profiles, which are for machines. */
export function actorFeeds(catalog: Catalog): FeedDefinition[] {
  return listFeeds(catalog).filter((feed) => !feed.profile)
}

const indexes = new WeakMap<Catalog, Map<string, FeedDefinition>>()

/** The feed whose handle is `handle`, if the catalog has one. */
export function feedOfHandle(catalog: Catalog, handle: string): FeedDefinition | undefined {
  let index = indexes.get(catalog)
  if (!index) {
    index = new Map(actorFeeds(catalog).map((feed) => [handleOf(feed), feed]))
    indexes.set(catalog, index)
  }
  return index.get(handle.toLowerCase())
}
