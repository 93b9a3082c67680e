import type { SqlDatabase, SqlStatement } from '../store/d1'
import { insertRows } from '../store/d1-import'
import { REPORT_ROWS } from './caps'
import { estimate } from './hll'
import type { StatsBatch } from './recorder'

/** Days kept day by day; older ones are folded into months. */
export const RETENTION_DAYS = 400
const DAY = 86_400_000

const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10)

// One report: counted as dropped when its feed id is new and the day's rows for this feed and
// reader are full (REPORT_ROWS), else kept, the larger value winning. The first statement runs
// before the second in the same transaction, so both see the same rows.
function reportStatements(db: SqlDatabase, r: StatsBatch['reports'][number]): SqlStatement[] {
  const same = 'day = ?1 AND feed = ?2 AND reader = ?3'
  const known = `EXISTS (SELECT 1 FROM stats_reports WHERE ${same} AND feed_id = ?4)`
  const rows = `(SELECT COUNT(*) FROM stats_reports WHERE ${same})`
  const values = [r.day, r.feed, r.reader, r.feedId, r.subscribers, r.at, r.client, REPORT_ROWS]
  return [
    db
      .prepare(
        `UPDATE stats_polls SET dropped = dropped + 1 WHERE ${same} AND NOT ${known} AND ${rows} >= ?8`,
      )
      .bind(...values),
    db
      .prepare(
        `INSERT INTO stats_reports (day, feed, reader, feed_id, subscribers, at, client) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE ${known} OR ${rows} < ?8 ON CONFLICT (day, feed, reader, feed_id) DO UPDATE SET subscribers = excluded.subscribers, at = excluded.at, client = excluded.client WHERE excluded.subscribers > stats_reports.subscribers`,
      )
      .bind(...values),
  ]
}

/**
 * The statements that write one isolate's batch: each an upsert that adds counters, keeps the
 * larger report, or raises a register, so any number of isolates may write in any order and
 * the totals come out the same.
 */
export function flushStatements(db: SqlDatabase, batch: StatsBatch): SqlStatement[] {
  return [
    ...insertRows(
      db,
      'INSERT INTO stats_polls (day, feed, reader, kind, polls, not_modified, bytes, outliers, dropped)',
      'ON CONFLICT (day, feed, reader) DO UPDATE SET polls = polls + excluded.polls, not_modified = not_modified + excluded.not_modified, bytes = bytes + excluded.bytes, outliers = outliers + excluded.outliers, dropped = dropped + excluded.dropped',
      batch.polls.map((r) => [
        r.day,
        r.feed,
        r.reader,
        r.kind,
        r.polls,
        r.notModified,
        r.bytes,
        r.outliers,
        r.dropped,
      ]),
    ),
    ...batch.reports.flatMap((r) => reportStatements(db, r)),
    ...insertRows(
      db,
      'INSERT INTO stats_registers (day, feed, crowd, register, rank, weight)',
      // Only a higher rank writes: once a day's registers have filled, most polls write nothing.
      'ON CONFLICT (day, feed, crowd, register) DO UPDATE SET rank = excluded.rank, weight = excluded.weight WHERE excluded.rank > stats_registers.rank',
      batch.registers.map((r) => [r.day, r.feed, r.crowd, r.register, r.rank, 2 ** -r.rank]),
    ),
    ...insertRows(
      db,
      'INSERT INTO stats_intervals (day, reader, bucket, count)',
      'ON CONFLICT (day, reader, bucket) DO UPDATE SET count = count + excluded.count',
      batch.intervals.map((r) => [r.day, r.reader, r.bucket, r.count]),
    ),
  ]
}

/** Writes a batch in one D1 batch (one transaction). */
export async function flushStats(db: SqlDatabase, batch: StatsBatch): Promise<number> {
  const statements = flushStatements(db, batch)
  if (statements.length > 0) await db.batch(statements)
  return statements.length
}

interface Estimate {
  feed: string
  crowd: string
  written: number
  weights: number
}

/** Distinct clients per feed of a day, from its registers: people and bots. */
async function clients(
  db: SqlDatabase,
  day: string,
): Promise<Map<string, { people: number; bots: number }>> {
  const { results } = await db
    .prepare(
      'SELECT feed, crowd, COUNT(*) AS written, SUM(weight) AS weights FROM stats_registers WHERE day = ? GROUP BY feed, crowd',
    )
    .bind(day)
    .all<Estimate>()
  const byFeed = new Map<string, { people: number; bots: number }>()
  for (const row of results) {
    const counted = byFeed.get(row.feed) ?? { people: 0, bots: 0 }
    counted[row.crowd === 'bots' ? 'bots' : 'people'] = estimate(row.written, row.weights)
    byFeed.set(row.feed, counted)
  }
  return byFeed
}

/**
 * Per day, feed and reader, what its clients reported: each feed id's largest report, and of a
 * client's (an address and a reader) feed ids only its largest, so that one client adds at most
 * one report however many ids it makes up.
 */
export const REPORTED_BY_CLIENT =
  'SELECT feed, reader, client, MAX(subscribers) AS subscribers FROM stats_reports WHERE day = ? GROUP BY feed, reader, client'

/** Subscribers readers reported per feed on a day: per client its largest report, summed. */
async function reported(db: SqlDatabase, day: string): Promise<Map<string, number>> {
  const { results } = await db
    .prepare(
      `SELECT feed, SUM(subscribers) AS subscribers FROM (${REPORTED_BY_CLIENT}) GROUP BY feed`,
    )
    .bind(day)
    .all<{ feed: string; subscribers: number }>()
  return new Map(results.map((row) => [row.feed, row.subscribers]))
}

/** A day's subscribers per feed: reported, people, bots (while its registers are kept). */
export async function dayTotals(
  db: SqlDatabase,
  day: string,
): Promise<Map<string, { reported: number; people: number; bots: number }>> {
  const [people, counts] = await Promise.all([clients(db, day), reported(db, day)])
  const totals = new Map<string, { reported: number; people: number; bots: number }>()
  for (const feed of new Set([...people.keys(), ...counts.keys()]))
    totals.set(feed, {
      reported: counts.get(feed) ?? 0,
      people: people.get(feed)?.people ?? 0,
      bots: people.get(feed)?.bots ?? 0,
    })
  return totals
}

/**
 * Closes the days before `now`'s: each feed's subscribers summed up in `stats_days`, the day's
 * registers and reports deleted; and folds days past RETENTION_DAYS into months. Run by the
 * Cron Trigger; a day closed twice comes out the same.
 */
export async function closeDays(db: SqlDatabase, now: number): Promise<string[]> {
  const today = dayOf(now)
  const { results } = await db
    .prepare(
      'SELECT DISTINCT day FROM stats_registers WHERE day < ?1 UNION SELECT DISTINCT day FROM stats_reports WHERE day < ?1',
    )
    .bind(today)
    .all<{ day: string }>()
  for (const { day } of results) {
    const totals = await dayTotals(db, day)
    await db.batch([
      ...insertRows(
        db,
        'INSERT INTO stats_days (day, feed, reported, people, bots)',
        'ON CONFLICT (day, feed) DO UPDATE SET reported = excluded.reported, people = excluded.people, bots = excluded.bots',
        [...totals].map(([feed, t]) => [day, feed, t.reported, t.people, t.bots]),
      ),
      db.prepare('DELETE FROM stats_registers WHERE day = ?').bind(day),
      db.prepare('DELETE FROM stats_reports WHERE day = ?').bind(day),
    ])
  }
  const oldest = dayOf(now - RETENTION_DAYS * DAY)
  await db.batch([
    db
      .prepare(
        `INSERT INTO stats_months (month, feed, polls, not_modified, bytes, subscriber_days, bot_days, days)
         SELECT substr(day, 1, 7), feed, SUM(polls), SUM(not_modified), SUM(bytes), 0, 0, 0 FROM stats_polls WHERE day < ?1 GROUP BY substr(day, 1, 7), feed
         ON CONFLICT (month, feed) DO UPDATE SET polls = polls + excluded.polls, not_modified = not_modified + excluded.not_modified, bytes = bytes + excluded.bytes`,
      )
      .bind(oldest),
    db
      .prepare(
        `INSERT INTO stats_months (month, feed, polls, not_modified, bytes, subscriber_days, bot_days, days)
         SELECT substr(day, 1, 7), feed, 0, 0, 0, SUM(reported + people), SUM(bots), COUNT(*) FROM stats_days WHERE day < ?1 GROUP BY substr(day, 1, 7), feed
         ON CONFLICT (month, feed) DO UPDATE SET subscriber_days = subscriber_days + excluded.subscriber_days, bot_days = bot_days + excluded.bot_days, days = days + excluded.days`,
      )
      .bind(oldest),
    db.prepare('DELETE FROM stats_polls WHERE day < ?').bind(oldest),
    db.prepare('DELETE FROM stats_days WHERE day < ?').bind(oldest),
    db.prepare('DELETE FROM stats_intervals WHERE day < ?').bind(oldest),
  ])
  return results.map((row) => row.day)
}
