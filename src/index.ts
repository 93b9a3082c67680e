import { catalogFor } from './bundle'
import { consumeDeliveries } from './federation/consumer'
import { createApp } from './routes/app'
import type { Bindings } from './routes/context'
import { scheduledTasks } from './routes/scheduled'
import { StatsRecorder } from './stats/recorder'
import { BundledStore } from './store/bundled'
import type { BundleIndex } from './store/compile'
import generated from './store/generated/index.json'

const index = generated as unknown as BundleIndex
const stores = new Map<string, BundledStore>()

/** Article records are static assets under /_store/, which only this Worker reads. */
function assetReader(env: Bindings) {
  const assets = env.ASSETS as Fetcher | undefined
  if (!assets)
    throw new Error('the bundled Worker needs its ASSETS binding (wrangler.toml [assets])')
  return async (name: string) => {
    const response = await assets.fetch(`https://assets.invalid/_store/${name}`)
    if (!response.ok) throw new Error(`article record ${name}: ${response.status}`)
    return new Uint8Array(await response.arrayBuffer())
  }
}

function storeFor(env: Bindings): BundledStore {
  const { catalog, key } = catalogFor(index.catalog, env)
  let store = stores.get(key)
  if (!store) {
    store = new BundledStore({ ...index, catalog }, assetReader(env))
    stores.set(key, store)
  }
  return store
}

const stats = new StatsRecorder()
const app = createApp(storeFor, { stats })

/** The Worker on the bundled store: the index compiled in, article records in static assets. */
export default {
  fetch: app.fetch,
  scheduled: scheduledTasks(storeFor, stats, { deploys: true }),
  queue: (batch, env) => consumeDeliveries(batch as never, env, Date.now()),
} satisfies ExportedHandler<Bindings>
