import { catalogFor, data } from './bundle'
import { createApp } from './routes/app'
import type { Bindings } from './routes/context'
import { BundledStore } from './store/bundled'

const stores = new Map<string, BundledStore>()

function storeFor(env: Bindings): BundledStore {
  const { catalog, suffix } = catalogFor(env)
  const store =
    stores.get(suffix) ?? new BundledStore({ ...data, catalog, version: data.version + suffix })
  stores.set(suffix, store)
  return store
}

/** The Worker on the bundled store: every article compiled in, no I/O, no publish API. */
export default createApp(storeFor)
