import { restrictHtml } from '../../src/content/markdown'
import type { Catalog } from '../../src/model/feeds'
import { hash64 } from '../../src/model/hash'
import type { Article, FeedDefinition } from '../../src/model/types'
import {
  profileFragmentKey,
  profileViolationsKey,
  renderAllFragments,
} from '../../src/profiles/fragments'
import { BundledStore } from '../../src/store/bundled'
import { compileBundle } from '../../src/store/compile'
import type { StoredArticle } from '../../src/store/types'

const decoder = new TextDecoder()

/** Every fragment of each article, as the build and the publish API render them. */
export function storedOf(catalog: Catalog, articles: readonly Article[]): StoredArticle[] {
  return articles.map((a) => ({ ...a, fragments: renderAllFragments(a, catalog, restrictHtml) }))
}

function profileKeys(feed: FeedDefinition) {
  const rules = feed.profile
  return {
    item: (format: string) => (rules ? profileFragmentKey(rules, format) : format),
    violations: rules ? profileViolationsKey(rules) : '',
  }
}

/**
 * A bundled store compiled at `now` from articles (newest first), its records in memory; runs
 * in Node and in workerd alike. `reads` counts the records read.
 */
export function bundledStore(catalog: Catalog, stored: readonly StoredArticle[], now: number) {
  const { index, records } = compileBundle(
    catalog,
    stored,
    stored.map((a) => a.fragments),
    profileKeys,
    { nameRecord: (bytes) => hash64(decoder.decode(bytes)), build: 'test-build', now },
  )
  const reads = { count: 0 }
  const store = new BundledStore(
    index,
    async (name) => {
      reads.count += 1
      const bytes = records.get(name)
      if (!bytes) throw new Error(`no record ${name}`)
      return bytes
    },
    0,
  )
  return { store, index, records, reads }
}

/**
 * A bundled store of `articles` (newest first) with empty fragments, compiled at `now`, records
 * in memory: what tests of scale need, without rendering a body. `reads` counts records read.
 */
export function bareStore(catalog: Catalog, articles: readonly Article[], now: number) {
  const { index, records } = compileBundle(
    catalog,
    articles,
    articles.map(() => ({ rss: '', atom: '', json: '' })),
    () => ({ item: (format) => format, violations: '' }),
    { nameRecord: (bytes) => hash64(decoder.decode(bytes)), build: 'test', now },
  )
  const reads = { count: 0 }
  const store = new BundledStore(index, async (name) => {
    reads.count += 1
    return records.get(name) as Uint8Array
  })
  return { store, reads }
}
