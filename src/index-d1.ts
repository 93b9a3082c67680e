import { catalogFor, data } from './bundle'
import { createApi } from './routes/api'
import { createApp } from './routes/app'
import type { Bindings } from './routes/context'
import { D1Store, type SqlDatabase } from './store/d1'

const stores = new WeakMap<object, D1Store>()

function storeFor(env: Bindings): D1Store {
  const db = env.DB as SqlDatabase | undefined
  if (!db) throw new Error('the D1 Worker needs a DB binding (wrangler.toml [env.d1])')
  // Site, authors, categories and curated feeds come from the build; articles and tags from D1.
  const { catalog, suffix } = catalogFor(env)
  const store =
    stores.get(db) ?? new D1Store(db, { ...catalog, tags: [] }, { build: data.version + suffix })
  stores.set(db, store)
  return store
}

/**
 * The Worker on the D1 store, with the publish API. A separate entry, so that the bundled
 * Worker carries neither the API nor the Markdown and sanitising pipeline it needs.
 */
export default createApp(storeFor, { api: createApi() })
