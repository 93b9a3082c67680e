import { type Catalog, listFeeds, matchesFilter } from '../model/feeds'
import type { Article } from '../model/types'
import type { BundleData } from './bundled'
import type { Fragments } from './types'

const EPOCH = '1970-01-01T00:00:00.000Z'

function newestUpdate(articles: readonly Article[], fallback: string): string {
  return articles.reduce((newest, a) => (a.updated > newest ? a.updated : newest), fallback)
}

/**
 * Compiles the bundled store: each article with its fragments, and for every feed the positions
 * of its articles newest first, so a request is a slice. `articles` must be newest first.
 */
export function compileBundle(
  catalog: Catalog,
  articles: readonly Article[],
  render: (article: Article) => Fragments,
  version: string,
): BundleData {
  const updated = newestUpdate(articles, EPOCH)
  const feeds: BundleData['feeds'] = {}
  for (const feed of listFeeds(catalog)) {
    const positions: number[] = []
    articles.forEach((article, position) => {
      if (matchesFilter(article, feed.filter)) positions.push(position)
    })
    const members = positions.map((p) => articles[p] as Article)
    feeds[feed.path] = {
      positions,
      updated: newestUpdate(members, members.length ? EPOCH : updated),
    }
  }
  return {
    version,
    catalog,
    articles: articles.map((a) => ({ ...a, fragments: render(a) })),
    feeds,
    updated,
  }
}
