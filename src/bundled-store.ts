import { catalogFor } from './bundle'
import type { Bindings } from './routes/context'
import { BundledStore } from './store/bundled'
import type { BundleIndex } from './store/compile'
import generated from './store/generated/index.json'

const index = generated as unknown as BundleIndex
const stores = new Map<string, BundledStore>()

/** Article records are static assets under /_store/, which only this Worker reads. */
function readAsset(env: Bindings) {
  const assets = env.ASSETS
  if (!assets)
    throw new Error('the bundled Worker needs its ASSETS binding (wrangler.toml [assets])')
  return async (name: string) => {
    const response = await assets.fetch(`https://assets.invalid/_store/${name}`)
    if (!response.ok) throw new Error(`article record ${name}: ${response.status}`)
    return new Uint8Array(await response.arrayBuffer())
  }
}

/** The bundled store for a Worker's bindings: one per catalog (one per WebSub hub), kept. */
export function bundledStoreFor(env: Bindings): BundledStore {
  const { catalog, key } = catalogFor(index.catalog, env)
  let store = stores.get(key)
  if (!store) {
    store = new BundledStore({ ...index, catalog }, readAsset(env))
    stores.set(key, store)
  }
  return store
}
