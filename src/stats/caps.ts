/**
 * The most subscribers a reader can plausibly report for one feed: a bound, not an estimate,
 * set at about the service's whole audience (a feed cannot have more subscribers in a service
 * than the service has users), so that no honest report is near it. A report above its cap is
 * an outlier: shown on the dashboard, never added. Services no longer running keep a small
 * cap: anyone still sending their User-Agent is not them.
 */
export const REPORT_CAPS: Readonly<Record<string, number>> = {
  Feedly: 2_000_000,
  Inoreader: 500_000,
  'Google Feedfetcher': 500_000,
  Netvibes: 200_000,
  Bloglovin: 200_000,
  NewsBlur: 100_000,
  'The Old Reader': 100_000,
  Overcast: 100_000,
  LiveJournal: 100_000,
  Feedbin: 50_000,
  Dreamwidth: 20_000,
  BazQux: 10_000,
  'Feed Wrangler': 1_000,
  FeedHQ: 1_000,
}

/** The cap of a reader not listed above (`Other feed service`: one nobody has named yet). */
export const DEFAULT_REPORT_CAP = 10_000

/**
 * Report rows kept per day, feed and reader: one per feed id. An honest service polls a feed
 * under a handful of ids; past this many, reports under a new id are counted as dropped and
 * not stored (ids already kept may still rise).
 */
export const REPORT_ROWS = 32

/** The cap of `reader`'s reports. */
export function reportCapOf(reader: string): number {
  return REPORT_CAPS[reader] ?? DEFAULT_REPORT_CAP
}
