import { compileContent, readContentFiles } from '../../scripts/content-files'
import type { ContentFiles } from '../../src/content/load'
import { createApp } from '../../src/routes/app'
import { BundledStore } from '../../src/store/bundled'

/** The app over a store compiled from `files` (the shipped content/ and feeds/ by default). */
export async function appFor(files?: ContentFiles) {
  const bundle = await compileContent(files ?? (await readContentFiles()))
  const store = new BundledStore(bundle)
  const app = createApp(() => store)
  return {
    app,
    bundle,
    get: (path: string, init?: RequestInit) => app.request(`http://127.0.0.1:8787${path}`, init),
  }
}
