import type { StatsRecorder } from '../stats/recorder'
import { statsUpkeep } from '../stats/upkeep'
import type { ArticleStore } from '../store/types'
import { announceAppearances, CRON_PERIOD } from './announce'
import type { Bindings } from './context'
import { federateAppearances } from './federate'

/**
 * The Cron Trigger, every minute: WebSub pings and federation deliveries for scheduled
 * articles whose minute came, and the statistics' upkeep (this isolate's counters written,
 * finished days closed). One failing does not stop the others; the run reports the first failure. With `deploys` (the bundled
 * store), federation also delivers what a new build added.
 */
export function scheduledTasks(
  storeFor: (env: Bindings) => ArticleStore,
  stats: StatsRecorder,
  options: { deploys?: boolean } = {},
) {
  const announce = announceAppearances(storeFor)
  const federate = federateAppearances(storeFor, options)
  return async (
    controller: Pick<ScheduledController, 'scheduledTime'>,
    env: Bindings,
    ctx: Pick<ExecutionContext, 'waitUntil'>,
  ): Promise<void> => {
    // The D1 store hands each scheduled article over once (it deletes its claim): both the
    // WebSub ping and federation get the same list from one claim.
    const until = controller.scheduledTime
    const claimed = storeFor(env ?? {}).appeared(until - CRON_PERIOD, until)
    claimed.catch(() => undefined)
    const results = await Promise.allSettled([
      announce(controller, env, ctx, claimed),
      federate(controller, env, claimed),
      statsUpkeep(stats, env ?? {}, controller.scheduledTime),
    ])
    const failed = results.find((result) => result.status === 'rejected')
    if (failed) throw (failed as PromiseRejectedResult).reason
  }
}
