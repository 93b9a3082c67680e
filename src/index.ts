import type { Catalog } from './model/feeds'
import { createApp } from './routes/app'
import type { Bindings } from './routes/context'
import { type BundleData, BundledStore } from './store/bundled'
import { D1Store, type SqlDatabase } from './store/d1'
import bundle from './store/generated/content.json'
import type { ArticleStore } from './store/types'

const data = bundle as unknown as BundleData
const bundledStores = new Map<string, BundledStore>()
const d1Stores = new WeakMap<object, D1Store>()

// `WEBSUB_HUB` (a Worker variable) replaces site.yaml's hub without a rebuild; the version
// changes with it, since every feed head names the hub.
function catalogFor(hub: string | undefined): { catalog: Catalog; suffix: string } {
  if (!hub || hub === data.catalog.site.hub) return { catalog: data.catalog, suffix: '' }
  return {
    catalog: { ...data.catalog, site: { ...data.catalog.site, hub } },
    suffix: `-hub-${encodeURIComponent(hub)}`,
  }
}

/** The store the configuration selects: D1 with `STORE = "d1"` and a `DB` binding, else the bundle. */
function storeFor(env: Bindings): ArticleStore {
  const hub = typeof env.WEBSUB_HUB === 'string' ? env.WEBSUB_HUB : undefined
  const db = env.DB as SqlDatabase | undefined
  const { catalog, suffix } = catalogFor(hub)
  if (env.STORE === 'd1' && db) {
    // Site, authors, categories and curated feeds come from the build; articles and tags from D1.
    const store = d1Stores.get(db) ?? new D1Store(db, { ...catalog, tags: [] })
    d1Stores.set(db, store)
    return store
  }
  const store =
    bundledStores.get(suffix) ??
    new BundledStore({ ...data, catalog, version: data.version + suffix })
  bundledStores.set(suffix, store)
  return store
}

/** The Worker: every request goes to the Hono app over the configured store. */
export default createApp(storeFor)
