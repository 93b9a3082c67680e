/** Feed statistics as the dashboard and `/api/stats` show them: plain data. */

/**
 * One feed's day: subscribers (reported by readers, and counted: distinct people), bots,
 * polls, and the reports set aside.
 */
export interface FeedDay {
  feed: string
  subscribers: number
  /** What readers said in their User-Agent, within each reader's cap, once per client. */
  reported: number
  /** What was counted here: distinct clients (address and reader) that report nothing. */
  people: number
  bots: number
  /** Subscribers seven days before, when that day was kept. */
  weekAgo: number | null
  polls: number
  notModified: number
  bytes: number
  /** Reports above their reader's cap: flagged, not added. */
  outliers: number
  /** Reports under a new feed id once the day's rows for it were full: not kept. */
  dropped: number
}

/** One reader over the last seven days. */
export interface ReaderWeek {
  reader: string
  kind: string
  polls: number
  feeds: number
  bytes: number
  /** Subscribers it reported today, over all feeds. */
  subscribers: number
  /** Seconds: the bucket its median poll interval falls in, when intervals were seen. */
  medianInterval: number | null
}

/** What the dashboard and `/api/stats` show. */
export interface StatsOverview {
  today: string
  totals: {
    subscribers: number
    reported: number
    people: number
    bots: number
    polls: number
    outliers: number
    dropped: number
  }
  /** Subscribers and bots per day over the last 365 days (today included, as far as it went). */
  series: { day: string; subscribers: number; bots: number }[]
  feeds: FeedDay[]
  readers: ReaderWeek[]
  /** Feeds nobody polled in the last seven days. */
  silent: string[]
}

/** One server (the host of its people's actor ids) and what its people follow. */
export interface FollowerServer {
  server: string
  /** Distinct people there who follow at least one feed. */
  followers: number
  /** Their follows: a person following three feeds is three. */
  follows: number
  /** The handles of the feeds they follow, sorted. */
  handles: string[]
  /** Whether site.yaml's `federation.blocked` covers it (its follows go at the next delivery). */
  blocked: boolean
}

/** An inbox every delivery to which has failed since `since` (RFC 3339). */
export interface FailingInbox {
  inbox: string
  /** The inbox's host. */
  server: string
  since: string
  /** The HTTP status of the last failure; null for a network error or a timeout. */
  lastStatus: number | null
  /** When the last failure happened (RFC 3339); null when the row is older than that record. */
  lastFailedAt: string | null
  /** When the next failure prunes every follow delivered through it (RFC 3339). */
  prunedFrom: string
}

/** Followers in the fediverse, per feed and per server, and what needs the publisher. */
export interface FollowersOverview {
  totals: { follows: number; followers: number; servers: number }
  /** Each followed feed by its handle, most followed first. */
  feeds: { handle: string; followers: number }[]
  /** Servers by their people, most first (at most FOLLOWER_ROWS). */
  servers: FollowerServer[]
  /** Inboxes failing every delivery, longest first (at most FOLLOWER_ROWS). */
  failing: FailingInbox[]
  /** Each domain site.yaml blocks, and the follows from it still stored. */
  blocked: { domain: string; follows: number }[]
}
