/**
 * The Worker the lists benchmark runs in workerd: the production app (same middleware, the
 * statistics recorder, the isolate and edge caches) over the route tests' newsroom of 50,000
 * tags, built in the isolate on its first request, with the floor route (bench/floor-route.ts).
 * A benchmark entry, never deployed.
 */
import { createApp } from '../src/routes/app'
import type { Bindings } from '../src/routes/context'
import { StatsRecorder } from '../src/stats/recorder'
import { bigNewsroomStore, NOW } from '../tests/helpers/big-newsroom'
import { addFloorRoute } from './floor-route'

let app: ReturnType<typeof createApp> | undefined

// Built once per isolate, as the bundled store's index is: the first request pays for it.
function appOf(): ReturnType<typeof createApp> {
  if (!app) {
    const store = bigNewsroomStore()
    app = createApp(() => store, {
      stats: new StatsRecorder(),
      clock: () => NOW,
      routes: addFloorRoute,
    })
  }
  return app
}

/** The 50,000-tag newsroom as a Worker, for `npm run bench -- --only=lists` only. */
export default {
  fetch: (request, env, ctx) => appOf().fetch(request, env, ctx),
} satisfies ExportedHandler<Bindings>
