import type { SqlDatabase } from '../store/d1'
import { flushStats } from './d1-stats'
import type { StatsRecorder } from './recorder'

/**
 * Writes this isolate's counters when due (or now, with `force`): one D1 batch of upserts,
 * one write at a time per isolate. A failed write puts the batch back to go out with the next
 * one, and rejects, naming the cause, so that whoever deferred it logs it.
 */
export async function flushIfDue(
  recorder: StatsRecorder,
  db: SqlDatabase,
  now: number,
  force = false,
): Promise<void> {
  // The Cron Trigger waits for a write under way; a request skips. That write's failure is
  // reported by the request that started it.
  if (recorder.flushing) {
    if (!force) return
    await recorder.flushing.catch(() => undefined)
  }
  if (!(force ? recorder.pending > 0 : recorder.due(now))) return
  const batch = recorder.drain(now)
  const writing = flushStats(db, batch).then(() => undefined)
  recorder.flushing = writing
  try {
    await writing
  } catch (error) {
    recorder.restore(batch)
    const rows = batch.polls.length + batch.reports.length + batch.registers.length
    throw new Error(
      `statistics: writing ${rows} rows failed, kept for the next write: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    )
  } finally {
    recorder.flushing = undefined
  }
}
