import { publicCacheControl } from '../http/cache-control'
import { assembleChunks, fragmentBytes } from '../http/encode'
import { HttpError } from '../http/errors'
import type { FeedQuery } from '../http/query'
import { serveResource } from '../http/serve'
import { webSubHeaders } from '../http/websub'
import type { Catalog } from '../model/feeds'
import type { ProfileRules } from '../model/profile'
import type { FeedDefinition, Site } from '../model/types'
import { DAY, type Violation } from '../profiles/check'
import { profileFragmentKey, profileViolationsKey } from '../profiles/fragments'
import type { ServedFormat } from '../profiles/report'
import { type ProfileCandidate, type Selection, selectItems } from '../profiles/select'
import { type FeedChunks, type FeedDocument, feedFileUrl } from '../render/document'
import { type FeedFormat, formatsOf } from '../render/formats'
import { profileChannel } from '../render/profile'
import { RSS_TAIL, renderRssHead } from '../render/rss'
import type { ArticleStore, ItemFragment } from '../store/types'
import { type AppContext, serveContext } from './context'

// How many of a feed's newest articles are read to fill a profile's window past those it leaves out.
const SCAN = 500
const encoder = new TextEncoder()

function toCandidate(item: ItemFragment, key: string, violations: string): ProfileCandidate {
  return {
    id: item.id,
    published: item.published,
    bytes: fragmentBytes(item, key).byteLength,
    violations: JSON.parse(item.fragments[violations] as string) as Violation[],
  }
}

// RSS heads carry the profile's channel extensions; other formats' heads are the standard ones.
function headFor(rules: ProfileRules, format: FeedFormat, doc: FeedDocument): FeedChunks {
  if (format.name !== 'rss') return format.render(doc, [])
  const head = renderRssHead(doc, profileChannel(rules, doc))
  return { head, items: [], separator: '', tail: RSS_TAIL }
}

/**
 * What a profile feed holds on day `now`: its head and tail, the items kept (newest first), and
 * the articles read but left out, with why.
 */
export interface ProfileFeed {
  chunks: FeedChunks
  kept: ItemFragment[]
  left: Selection['left']
  key: string
  updated: string
}

/**
 * The items of an aggregator feed (feeds/<name>.yaml with `profile:`): its newest articles that
 * break no hard rule (their age on day `now` included), at most `limit`, the oldest dropped
 * while the whole feed is over its byte budget.
 */
export async function profileFeed(
  store: ArticleStore,
  site: Site,
  feed: FeedDefinition,
  format: FeedFormat,
  selfUrl: string,
  now: number,
  limit: number,
): Promise<ProfileFeed> {
  const rules = feed.profile as ProfileRules
  const key = profileFragmentKey(rules, format.name)
  const checked = profileViolationsKey(rules)
  const read = await store.items(feed, 0, SCAN, [key, checked])
  // An article stored before this profile was configured has not been checked against it (a
  // database written by an older build): it stays out until it is published again.
  const isChecked = (item: ItemFragment) =>
    item.fragments[key] !== undefined && item.fragments[checked] !== undefined
  const items = read.items.filter(isChecked)
  const unchecked = read.items.filter((item) => !isChecked(item))
  const updated = read.updated
  const chunks = headFor(rules, format, { site, feed, selfUrl, updated })
  const frame = encoder.encode(chunks.head).byteLength + encoder.encode(chunks.tail).byteLength
  const window = { ...rules, maxItems: Math.min(rules.maxItems, limit) }
  const { chosen, left } = selectItems(
    window,
    items.map((item) => toCandidate(item, key, checked)),
    now,
    frame,
  )
  const notChecked = unchecked.map((item) => ({
    id: item.id,
    violations: [
      {
        rule: 'unchecked',
        detail: `stored before ${rules.name}'s rules applied to this feed; publish it again`,
        hard: true,
      },
    ],
  }))
  return {
    chunks,
    kept: chosen.map((index) => items[index] as ItemFragment),
    left: [...left, ...notChecked],
    key,
    updated,
  }
}

/**
 * What every format of each profile feed holds on day `now`, read the way the routes read it
 * (for `npm run check:feeds` and its tests).
 */
export async function profileSelections(
  store: ArticleStore,
  site: Site,
  feeds: readonly FeedDefinition[],
  now: number,
): Promise<Map<string, ServedFormat[]>> {
  const selections = new Map<string, ServedFormat[]>()
  for (const feed of feeds.filter((f) => f.profile)) {
    const served: ServedFormat[] = []
    for (const format of formatsOf(feed)) {
      const selfUrl = feedFileUrl(site.url, feed, format.file)
      const { kept, left } = await profileFeed(
        store,
        site,
        feed,
        format,
        selfUrl,
        now,
        feed.maxItems,
      )
      served.push({ format: format.name, kept: kept.length, left })
    }
    selections.set(feed.path, served)
  }
  return selections
}

/**
 * Serves an aggregator feed: one page, only in the formats the aggregator takes (others 404).
 * When age matters, the day is part of the version, so caches turn over at midnight UTC.
 */
export async function serveProfileFeed(
  c: AppContext,
  catalog: Catalog,
  feed: FeedDefinition,
  format: FeedFormat,
  query: FeedQuery,
  selfUrl: string,
): Promise<Response> {
  const rules = feed.profile as ProfileRules
  if (!(rules.formats as readonly string[]).includes(format.name))
    throw new HttpError(
      404,
      `${rules.name} takes ${rules.formats.join(' and ').toUpperCase()} only`,
    )
  if (query.page > 1) throw new HttpError(404, 'aggregator feeds have one page')
  const store = c.get('store')
  const now = c.get('now')()
  const day = rules.maxAgeDays === undefined ? '' : `-day${Math.floor(now / DAY)}`
  const site = catalog.site
  const resource = {
    canonicalUrl: selfUrl,
    version: (await store.version()) + day,
    cacheControl: publicCacheControl(site),
    cors: true,
    headers: webSubHeaders(site.hub, selfUrl),
    resolve: async () => {
      const { chunks, kept, key, updated } = await profileFeed(
        store,
        site,
        feed,
        format,
        selfUrl,
        now,
        query.limit,
      )
      return {
        lastModified: updated,
        render: () => ({
          body: assembleChunks(chunks.head, kept, key, chunks.separator, chunks.tail),
          contentType: `${format.mediaType}; charset=utf-8`,
        }),
      }
    },
  }
  return serveResource(c.req.raw, resource, serveContext(c, site))
}
