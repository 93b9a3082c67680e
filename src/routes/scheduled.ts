import type { StatsRecorder } from '../stats/recorder'
import type { ArticleStore } from '../store/types'
import { announceAppearances } from './announce'
import type { Bindings } from './context'
import { federateAppearances } from './federate'
import { statsMaintenance } from './stats'

/**
 * The Cron Trigger, every minute: WebSub pings for scheduled articles whose minute came, and
 * the statistics' upkeep (this isolate's counters written, finished days closed). One failing
 * does not stop the other; the run reports the first failure.
 */
export function scheduledTasks(storeFor: (env: Bindings) => ArticleStore, stats: StatsRecorder) {
  const announce = announceAppearances(storeFor)
  const federate = federateAppearances(storeFor)
  return async (
    controller: Pick<ScheduledController, 'scheduledTime'>,
    env: Bindings,
    ctx: Pick<ExecutionContext, 'waitUntil'>,
  ): Promise<void> => {
    const results = await Promise.allSettled([
      announce(controller, env, ctx),
      federate(controller, env),
      statsMaintenance(stats, env ?? {}, controller.scheduledTime),
    ])
    const failed = results.find((result) => result.status === 'rejected')
    if (failed) throw (failed as PromiseRejectedResult).reason
  }
}
