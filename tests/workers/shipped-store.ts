import { env } from 'cloudflare:workers'
import { BundledStore } from '../../src/store/bundled'
import type { BundleIndex } from '../../src/store/compile'
import index from '../../src/store/generated/index.json'

const assets = (env as unknown as { ASSETS: Fetcher }).ASSETS

/** The shipped bundled store, its records read through the Worker's own ASSETS binding. */
export function shippedStore(): BundledStore {
  return new BundledStore(index as unknown as BundleIndex, async (name) => {
    const response = await assets.fetch(`https://assets.invalid/_store/${name}`)
    if (!response.ok) throw new Error(`record ${name}: ${response.status}`)
    return new Uint8Array(await response.arrayBuffer())
  })
}
