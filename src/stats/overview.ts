import type { FeedDay, StatsOverview } from '../model/stats'
import type { SqlDatabase } from '../store/d1'
import { dayTotals, REPORTED_BY_CLIENT } from './d1-stats'
import { INTERVAL_BUCKETS } from './recorder'

const DAY = 86_400_000
const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10)

function median(buckets: { bucket: number; count: number }[]): number | null {
  const total = buckets.reduce((sum, b) => sum + b.count, 0)
  if (total === 0) return null
  let seen = 0
  for (const bound of INTERVAL_BUCKETS) {
    seen += buckets.find((b) => b.bucket === bound)?.count ?? 0
    if (seen * 2 >= total) return bound
  }
  return null
}

/** The statistics at `now` of the feeds at `paths` (the catalog's), read from the STATS database. */
export async function statsOverview(
  db: SqlDatabase,
  now: number,
  paths: readonly string[],
): Promise<StatsOverview> {
  const today = dayOf(now)
  const weekStart = dayOf(now - 6 * DAY)
  const weekAgo = dayOf(now - 7 * DAY)
  const [days, polls, readers, intervals, reports, live] = await Promise.all([
    db
      .prepare(
        'SELECT day, SUM(reported + people) AS subscribers, SUM(bots) AS bots FROM stats_days WHERE day >= ? GROUP BY day ORDER BY day',
      )
      .bind(dayOf(now - 364 * DAY))
      .all<{ day: string; subscribers: number; bots: number }>(),
    db
      .prepare(
        'SELECT feed, SUM(polls) AS polls, SUM(not_modified) AS notModified, SUM(bytes) AS bytes, SUM(outliers) AS outliers, SUM(dropped) AS dropped FROM stats_polls WHERE day = ? GROUP BY feed',
      )
      .bind(today)
      .all<{
        feed: string
        polls: number
        notModified: number
        bytes: number
        outliers: number
        dropped: number
      }>(),
    db
      .prepare(
        'SELECT reader, kind, SUM(polls) AS polls, COUNT(DISTINCT feed) AS feeds, SUM(bytes) AS bytes FROM stats_polls WHERE day >= ? GROUP BY reader, kind ORDER BY polls DESC',
      )
      .bind(weekStart)
      .all<{ reader: string; kind: string; polls: number; feeds: number; bytes: number }>(),
    db
      .prepare(
        'SELECT reader, bucket, SUM(count) AS count FROM stats_intervals WHERE day >= ? GROUP BY reader, bucket',
      )
      .bind(weekStart)
      .all<{ reader: string; bucket: number; count: number }>(),
    db
      .prepare(
        `SELECT reader, SUM(subscribers) AS subscribers FROM (${REPORTED_BY_CLIENT}) GROUP BY reader`,
      )
      .bind(today)
      .all<{ reader: string; subscribers: number }>(),
    dayTotals(db, today),
  ])
  const { results: before } = await db
    .prepare('SELECT feed, reported + people AS subscribers FROM stats_days WHERE day = ?')
    .bind(weekAgo)
    .all<{ feed: string; subscribers: number }>()
  const { results: polled } = await db
    .prepare('SELECT DISTINCT feed FROM stats_polls WHERE day >= ?')
    .bind(weekStart)
    .all<{ feed: string }>()
  const pollsByFeed = new Map(polls.results.map((row) => [row.feed, row]))
  const weekAgoByFeed = new Map(before.map((row) => [row.feed, row.subscribers]))
  const feeds = [...new Set([...live.keys(), ...pollsByFeed.keys()])].map((feed): FeedDay => {
    const counted = live.get(feed) ?? { reported: 0, people: 0, bots: 0 }
    const polled = pollsByFeed.get(feed)
    return {
      feed,
      subscribers: counted.reported + counted.people,
      ...counted,
      weekAgo: weekAgoByFeed.get(feed) ?? null,
      polls: polled?.polls ?? 0,
      notModified: polled?.notModified ?? 0,
      bytes: polled?.bytes ?? 0,
      outliers: polled?.outliers ?? 0,
      dropped: polled?.dropped ?? 0,
    }
  })
  feeds.sort(
    (a, b) => b.subscribers - a.subscribers || b.polls - a.polls || (a.feed < b.feed ? -1 : 1),
  )
  const reportsByReader = new Map(reports.results.map((row) => [row.reader, row.subscribers]))
  const sum = (
    key: 'subscribers' | 'reported' | 'people' | 'bots' | 'polls' | 'outliers' | 'dropped',
  ) => feeds.reduce((total, feed) => total + feed[key], 0)
  const todayTotals = { day: today, subscribers: sum('subscribers'), bots: sum('bots') }
  const polledFeeds = new Set(polled.map((row) => row.feed))
  return {
    today,
    totals: {
      subscribers: sum('subscribers'),
      reported: sum('reported'),
      people: sum('people'),
      bots: sum('bots'),
      polls: sum('polls'),
      outliers: sum('outliers'),
      dropped: sum('dropped'),
    },
    series: [...days.results.filter((row) => row.day < today), todayTotals],
    feeds,
    readers: readers.results.map((row) => ({
      ...row,
      subscribers: reportsByReader.get(row.reader) ?? 0,
      medianInterval: median(intervals.results.filter((i) => i.reader === row.reader)),
    })),
    silent: paths.filter((path) => !polledFeeds.has(path)),
  }
}
