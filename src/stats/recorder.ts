import { REPORT_ROWS } from './caps'
import { registerOf } from './hll'
import type { ReaderKind } from './readers'

/** One answered feed request, as the statistics keep it. */
export interface Poll {
  /** Milliseconds: when it was answered. */
  at: number
  /** The feed's path (`''` for the site). */
  feed: string
  reader: string
  kind: ReaderKind
  status: 200 | 304
  /** Body bytes sent (0 for a 304). */
  bytes: number
  /** The subscribers and feed id a reader reports in its User-Agent, and who sent it (hex). */
  report?: { subscribers: number; feedId: string; client: string }
  /** A report above the reader's cap: flagged, not added. */
  outlier?: true
  /** 64 bits of the day's keyed hash of the client's address and User-Agent: its poll interval. */
  client?: Uint8Array
  /** Whom the poll counts as in the day's distinct clients, if anyone (see `countedAs`). */
  member?: { crowd: 'people' | 'bots'; hash: Uint8Array }
}

/** What a flush writes: rows to add to, or to raise, in the STATS database. */
export interface StatsBatch {
  polls: {
    day: string
    feed: string
    reader: string
    kind: string
    polls: number
    notModified: number
    bytes: number
    /** Reports above the reader's cap. */
    outliers: number
    /** Reports under a new feed id past REPORT_ROWS. */
    dropped: number
  }[]
  reports: {
    day: string
    feed: string
    reader: string
    feedId: string
    subscribers: number
    at: number
    client: string
  }[]
  registers: {
    day: string
    feed: string
    crowd: 'people' | 'bots'
    register: number
    rank: number
  }[]
  intervals: { day: string; reader: string; bucket: number; count: number }[]
}

/** Interval buckets, their lower bounds in seconds: 1, 5, 15, 30 minutes, 1, 2, 6, 12, 24 hours. */
export const INTERVAL_BUCKETS = [0, 60, 300, 900, 1800, 3600, 7200, 21_600, 43_200, 86_400]

/** How often an isolate writes its counters, and how many rows make it write sooner. */
export const FLUSH_EVERY = 60_000
export const FLUSH_ROWS = 2000
// The clients whose last poll an isolate remembers, to time the next one (least recent out).
const REMEMBERED = 20_000

const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10)
const hex = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')

function bucketOf(seconds: number): number {
  let bucket = 0
  for (const bound of INTERVAL_BUCKETS) if (seconds >= bound) bucket = bound
  return bucket
}

/**
 * An isolate's statistics between two flushes: counters added up in memory, as many rows as
 * there are (day, feed, reader) met, whatever the number of polls. Recording is a few map
 * updates; a flush drains it into one batch of upserts, and puts the batch back if the write
 * fails, to go with the next one. An isolate that stops loses at most what it gathered since
 * its last flush.
 */
export class StatsRecorder {
  #polls = new Map<string, StatsBatch['polls'][number]>()
  #reports = new Map<string, StatsBatch['reports'][number]>()
  #registers = new Map<string, StatsBatch['registers'][number]>()
  #intervals = new Map<string, StatsBatch['intervals'][number]>()
  // Report rows per day, feed and reader in #reports.
  #reportRows = new Map<string, number>()
  readonly #lastSeen = new Map<string, number>()
  #flushed = 0
  /** The write under way, if any (one at a time per isolate). */
  flushing: Promise<void> | undefined

  /** Adds one poll. */
  record(poll: Poll): void {
    const day = dayOf(poll.at)
    const { feed, reader } = poll
    const key = `${day}\n${feed}\n${reader}`
    const counts = this.#polls.get(key) ?? {
      day,
      feed,
      reader,
      kind: poll.kind,
      polls: 0,
      notModified: 0,
      bytes: 0,
      outliers: 0,
      dropped: 0,
    }
    counts.polls += 1
    if (poll.status === 304) counts.notModified += 1
    counts.bytes += poll.bytes
    if (poll.outlier) counts.outliers += 1
    this.#polls.set(key, counts)
    if (poll.report) {
      const { subscribers, feedId, client } = poll.report
      if (!this.#report(key, { day, feed, reader, feedId, subscribers, at: poll.at, client }))
        counts.dropped += 1
    }
    if (poll.member) {
      const { crowd } = poll.member
      const { register, rank } = registerOf(poll.member.hash)
      const registerKey = `${day}\n${feed}\n${crowd}\n${register}`
      const known = this.#registers.get(registerKey)
      if (!known || known.rank < rank)
        this.#registers.set(registerKey, { day, feed, crowd, register, rank })
    }
    if (poll.client) this.#interval(`${feed}\n${hex(poll.client)}`, poll.at, { day, reader })
  }

  // Keeps the largest report per feed id, at most REPORT_ROWS feed ids per day, feed and
  // reader; false when a new feed id found the rows full.
  #report(key: string, row: StatsBatch['reports'][number]): boolean {
    const reportKey = `${key}\n${row.feedId}`
    const known = this.#reports.get(reportKey)
    if (known) {
      if (known.subscribers < row.subscribers) this.#reports.set(reportKey, row)
      return true
    }
    const rows = this.#reportRows.get(key) ?? 0
    if (rows >= REPORT_ROWS) return false
    this.#reportRows.set(key, rows + 1)
    this.#reports.set(reportKey, row)
    return true
  }

  // The time since this client's last poll of this feed, seen by this isolate, into its
  // reader's bucket (kept per reader, not per feed: a few rows a flush whatever the feeds).
  #interval(client: string, at: number, where: { day: string; reader: string }): void {
    const last = this.#lastSeen.get(client)
    this.#lastSeen.delete(client)
    this.#lastSeen.set(client, at)
    if (this.#lastSeen.size > REMEMBERED)
      this.#lastSeen.delete(this.#lastSeen.keys().next().value as string)
    if (last === undefined || at <= last) return
    const bucket = bucketOf((at - last) / 1000)
    const key = `${where.day}\n${where.reader}\n${bucket}`
    const counted = this.#intervals.get(key) ?? { ...where, bucket, count: 0 }
    counted.count += 1
    this.#intervals.set(key, counted)
  }

  /** Rows waiting to be written. */
  get pending(): number {
    return this.#polls.size + this.#reports.size + this.#registers.size + this.#intervals.size
  }

  /** Whether to write now: a minute since the last write, or a batch grown large. */
  due(now: number): boolean {
    const pending = this.pending
    return pending > 0 && (now - this.#flushed >= FLUSH_EVERY || pending >= FLUSH_ROWS)
  }

  /** Takes everything gathered since the last flush, as one batch. */
  drain(now: number): StatsBatch {
    const batch = {
      polls: [...this.#polls.values()],
      reports: [...this.#reports.values()],
      registers: [...this.#registers.values()],
      intervals: [...this.#intervals.values()],
    }
    this.#polls = new Map()
    this.#reports = new Map()
    this.#registers = new Map()
    this.#intervals = new Map()
    this.#reportRows = new Map()
    this.#flushed = now
    return batch
  }

  /** Puts back a batch whose write failed, to go out with the next one. */
  restore(batch: StatsBatch): void {
    for (const row of batch.polls) {
      const key = `${row.day}\n${row.feed}\n${row.reader}`
      const counts = this.#polls.get(key)
      if (!counts) this.#polls.set(key, row)
      else {
        counts.polls += row.polls
        counts.notModified += row.notModified
        counts.bytes += row.bytes
        counts.outliers += row.outliers
        counts.dropped += row.dropped
      }
    }
    for (const row of batch.reports) {
      const key = `${row.day}\n${row.feed}\n${row.reader}`
      if (!this.#report(key, row)) {
        const counts = this.#polls.get(key)
        if (counts) counts.dropped += 1
      }
    }
    for (const row of batch.registers) {
      const key = `${row.day}\n${row.feed}\n${row.crowd}\n${row.register}`
      const known = this.#registers.get(key)
      if (!known || known.rank < row.rank) this.#registers.set(key, row)
    }
    for (const row of batch.intervals) {
      const key = `${row.day}\n${row.reader}\n${row.bucket}`
      const counted = this.#intervals.get(key)
      if (!counted) this.#intervals.set(key, row)
      else counted.count += row.count
    }
  }
}
