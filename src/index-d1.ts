import { catalogFor } from './bundle'
import { consumeDeliveries } from './federation/consumer'
import type { Catalog } from './model/feeds'
import { createApi } from './routes/api'
import { createApp } from './routes/app'
import type { Bindings } from './routes/context'
import { scheduledTasks } from './routes/scheduled'
import { StatsRecorder } from './stats/recorder'
import { D1Store } from './store/d1'
import generated from './store/generated/catalog.json'

const built = generated as unknown as { build: string; catalog: Catalog }
const stores = new WeakMap<object, D1Store>()

function storeFor(env: Bindings): D1Store {
  const db = env.DB
  if (!db) throw new Error('the D1 Worker needs a DB binding (wrangler.toml [env.d1])')
  let store = stores.get(db)
  if (!store) {
    // Site, authors, categories and curated feeds come from the build; articles and tags from D1.
    const { catalog, key } = catalogFor(built.catalog, env)
    store = new D1Store(db, { ...catalog, tags: [] }, { build: `${built.build}${key}` })
    stores.set(db, store)
  }
  return store
}

const stats = new StatsRecorder()
const app = createApp(storeFor, { api: createApi(), stats })

/**
 * The Worker on the D1 store, with the publish API. A separate entry, so that the bundled
 * Worker carries neither the API nor the Markdown and sanitising pipeline it needs.
 */
export default {
  fetch: app.fetch,
  scheduled: scheduledTasks(storeFor, stats),
  queue: (batch, env) => consumeDeliveries(batch as never, env, Date.now()),
} satisfies ExportedHandler<Bindings>
