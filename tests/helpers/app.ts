import { compileContent, readContentFiles, storeInMemory } from '../../scripts/content-files'
import type { ContentFiles } from '../../src/content/load'
import { createApp } from '../../src/routes/app'
import type { StoredArticle } from '../../src/store/types'
import { TEST_NOW } from './content'

/**
 * The app over a store compiled from `files` (the shipped content/ and feeds/ by default), built
 * and served at `now`.
 */
export async function appFor(files?: ContentFiles, now = TEST_NOW) {
  const bundle = await compileContent(files ?? (await readContentFiles()), { now })
  const store = storeInMemory(bundle)
  const app = createApp(() => store, { clock: () => now })
  return {
    app,
    bundle,
    store,
    get: (path: string, init?: RequestInit) => app.request(`http://127.0.0.1:8787${path}`, init),
  }
}

/** The articles a compiled feed holds at `now`, newest first (scheduled ones left out). */
export function feedArticles(
  bundle: Awaited<ReturnType<typeof compileContent>>,
  path: string,
  now: number,
): StoredArticle[] {
  return (bundle.index.feeds[path]?.positions ?? [])
    .map((p) => bundle.stored[p] as StoredArticle)
    .filter((a) => Date.parse(a.published) <= now)
}
