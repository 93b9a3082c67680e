/** Feed statistics as the dashboard and `/api/stats` show them: plain data. */

/** One feed's day: subscribers (reported by readers, and distinct people), bots, polls. */
export interface FeedDay {
  feed: string
  subscribers: number
  reported: number
  people: number
  bots: number
  /** Subscribers seven days before, when that day was kept. */
  weekAgo: number | null
  polls: number
  notModified: number
  bytes: number
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
  totals: { subscribers: number; reported: number; people: number; bots: number; polls: number }
  /** Subscribers and bots per day over the last 365 days (today included, as far as it went). */
  series: { day: string; subscribers: number; bots: number }[]
  feeds: FeedDay[]
  readers: ReaderWeek[]
  /** Feeds nobody polled in the last seven days. */
  silent: string[]
}
