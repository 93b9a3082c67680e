import type { ProfileRules } from '../model/profile'
import type { FeedDefinition, Site } from '../model/types'
import { type FeedChunks, type FeedDocument, feedFileUrl } from '../render/document'
import { type FeedFormat, formatsOf } from '../render/formats'
import { profileChannel } from '../render/profile'
import { RSS_TAIL, renderRssHead } from '../render/rss'
import type { ArticleStore, ItemFragment, StoredCandidate } from '../store/types'
import { DAY, type Violation } from './check'
import { profileFragmentKey, profileViolationsKey } from './fragments'
import type { ServedFormat } from './report'
import { type ProfileCandidate, type Selection, selectItems } from './select'

// How many of a feed's newest articles are read to fill a profile's window past those it leaves out.
const SCAN = 500
const encoder = new TextEncoder()

function toCandidate(stored: StoredCandidate): ProfileCandidate {
  return { ...stored, violations: JSON.parse(stored.violations) as Violation[] }
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
}

/**
 * The items of an aggregator feed (feeds/<name>.yaml with `profile:`): its newest articles that
 * break no hard rule (their age on day `now` included), at most `limit`, the oldest dropped
 * while the whole feed is over its byte budget.
 */
export async function profileFeed(
  store: ArticleStore,
  doc: FeedDocument,
  format: FeedFormat,
  now: number,
  limit: number,
): Promise<ProfileFeed> {
  const rules = doc.feed.profile as ProfileRules
  const keys = {
    item: profileFragmentKey(rules, format.name),
    violations: profileViolationsKey(rules),
  }
  const { candidates, unchecked, read } = await store.candidates(doc.feed, keys, SCAN, now)
  const chunks = headFor(rules, format, doc)
  const frame = encoder.encode(chunks.head).byteLength + encoder.encode(chunks.tail).byteLength
  const window = { ...rules, maxItems: Math.min(rules.maxItems, limit) }
  const { chosen, left } = selectItems(window, candidates.map(toCandidate), now, frame)
  const notChecked = unchecked.map((id) => ({
    id,
    violations: [
      {
        rule: 'unchecked',
        detail: `stored before ${rules.name}'s rules applied to this feed; publish it again`,
        hard: true,
      },
    ],
  }))
  return { chunks, kept: await read(chosen), left: [...left, ...notChecked] }
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
    const { updated } = await store.state(feed, now)
    const served: ServedFormat[] = []
    for (const format of formatsOf(feed)) {
      const selfUrl = feedFileUrl(site.url, feed, format.file)
      const doc = { site, feed, selfUrl, updated }
      const { kept, left } = await profileFeed(store, doc, format, now, feed.maxItems)
      served.push({ format: format.name, kept: kept.length, left })
    }
    selections.set(feed.path, served)
  }
  return selections
}

/** The day of `now` when a feed's aggregator has an age rule (what it holds turns over daily). */
export function dayOf(feed: FeedDefinition, now: number): number | undefined {
  return feed.profile?.maxAgeDays === undefined ? undefined : Math.floor(now / DAY)
}
