import { closeDays } from './d1-stats'
import { flushIfDue } from './flush'
import type { StatsRecorder } from './recorder'
import { dropEndedSessions } from './session'
import { type StatsEnv, statsSetup } from './setup'

/**
 * The Cron Trigger's share, in order: this isolate's counters written (before a day closes, so
 * that its last minute is in it), finished days closed, ended sessions deleted. Each step runs
 * even when one before it failed; the first failure is thrown once all have run.
 */
export async function statsUpkeep(
  recorder: StatsRecorder,
  env: StatsEnv,
  now: number,
): Promise<void> {
  const setup = statsSetup(env)
  if (!setup.on) return
  const steps = [
    () => flushIfDue(recorder, setup.db, now, true),
    () => closeDays(setup.db, now),
    () => dropEndedSessions(setup.db, now),
  ]
  const failures: unknown[] = []
  for (const step of steps) await step().catch((error: unknown) => failures.push(error))
  if (failures.length > 0) throw failures[0]
}
