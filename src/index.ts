import { bundledStoreFor } from './bundled-store'
import { consumeDeliveries } from './federation/consumer'
import { createApp } from './routes/app'
import type { Bindings } from './routes/context'
import { scheduledTasks } from './routes/scheduled'
import { StatsRecorder } from './stats/recorder'

const stats = new StatsRecorder()
const app = createApp(bundledStoreFor, { stats })

/** The Worker on the bundled store: the index compiled in, article records in static assets. */
export default {
  fetch: app.fetch,
  scheduled: scheduledTasks(bundledStoreFor, stats, { deploys: true }),
  queue: (batch, env) => consumeDeliveries(batch as never, env, Date.now()),
} satisfies ExportedHandler<Bindings>
