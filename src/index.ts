import { createApp } from './routes/app'
import { type BundleData, BundledStore } from './store/bundled'
import bundle from './store/generated/content.json'

const store = new BundledStore(bundle as unknown as BundleData)

/** The Worker: every request goes to the Hono app over the bundled store. */
export default createApp(() => store)
