import type { Catalog } from '../model/feeds'
import type { Article } from '../model/types'
import { profilesUsed } from '../profiles/rules'
import { renderFragments } from './formats'
import { type RestrictHtml, renderProfileFragments } from './profile'

/**
 * Every fragment an article has in this catalog: one item per format, and for each aggregator
 * profile a feed uses, its own item and the hard rules the article breaks. Rendered once per
 * content version: at build time for the bundled store, on publish for D1.
 */
export function renderAllFragments(
  article: Article,
  catalog: Catalog,
  restrict: RestrictHtml,
): Record<string, string> {
  const standard = renderFragments(article, catalog.site.url)
  return {
    ...standard,
    ...renderProfileFragments(
      article,
      catalog.site.url,
      profilesUsed(catalog.curated),
      restrict,
      standard,
    ),
  }
}
