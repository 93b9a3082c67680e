/**
 * The benchmark's Worker: the production one (bundled store, same middleware) with the floor
 * route mounted after the site's routes, so the floor passes through the same layers a feed does.
 * `startDev` runs it in place of wrangler.toml's `main`; `npm run deploy` never bundles it.
 */
import { bundledStoreFor } from '../src/bundled-store'
import { createApp } from '../src/routes/app'
import type { Bindings } from '../src/routes/context'
import { StatsRecorder } from '../src/stats/recorder'
import { addFloorRoute } from './floor-route'

const app = createApp(bundledStoreFor, { stats: new StatsRecorder(), routes: addFloorRoute })

/** The bundled-store Worker with `/__floor`, for `npm run bench` only. */
export default { fetch: app.fetch } satisfies ExportedHandler<Bindings>
