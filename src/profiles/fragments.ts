import type { Catalog } from '../model/feeds'
import type { ProfileRules } from '../model/profile'
import { STANDARD_IMAGE_ELEMENTS } from '../model/profile'
import type { Article } from '../model/types'
import { renderAtomEntry } from '../render/atom'
import { renderFragments } from '../render/formats'
import { contentHtml } from '../render/lead-image'
import type { ItemOptions } from '../render/media-rss'
import { renderRssItem } from '../render/rss'
import { checkArticle, profileDescription } from './check'
import { profilesUsed } from './rules'

const encoder = new TextEncoder()

/**
 * Restricts HTML to an allowlist of elements (the content layer's sanitiser, passed in),
 * naming the elements it took out.
 */
export type RestrictHtml = (
  html: string,
  allowlist: readonly string[],
) => { html: string; removed: string[] }

/** The fragment key of the rules an article breaks in a profile's feed. */
export const profileViolationsKey = (rules: ProfileRules) => `violations@${rules.id}`

const sameElements = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((element) => b.includes(element))

// A profile has items of its own when it changes the description, the body or the media.
function ownsItems(rules: ProfileRules): boolean {
  return Boolean(
    rules.summary?.min !== undefined ||
      rules.htmlAllowlist ||
      rules.fullText === false ||
      (rules.imageElements && !sameElements(rules.imageElements, STANDARD_IMAGE_ELEMENTS)),
  )
}

/** The fragment key of a profile's items in `format`: its own, or the standard ones. */
export function profileFragmentKey(rules: ProfileRules, format: string): string {
  return ownsItems(rules) ? `${format}@${rules.id}` : format
}

// The body a profile sends: none for a teaser; else the lead figure (when the figure carries
// the image) and the body, through the profile's allowlist.
function profileContent(
  rules: ProfileRules,
  article: Article,
  restrict: RestrictHtml,
): { html: string | null; removed: string[] } {
  if (rules.fullText === false) return { html: null, removed: [] }
  const elements = rules.imageElements ?? STANDARD_IMAGE_ELEMENTS
  const html = elements.includes('figure') ? contentHtml(article) : article.contentHtml
  return rules.htmlAllowlist ? restrict(html, rules.htmlAllowlist) : { html, removed: [] }
}

const ITEM_RENDERERS = { rss: renderRssItem, atom: renderAtomEntry } as const

/**
 * An article's fragments for aggregator profiles, beside the standard ones: its own item in
 * each format the profile takes when the profile changes the item, and every rule it breaks
 * there (a hard one keeps it out; `[]` when none, so that an article never checked against a
 * profile can be told from one that passed). Google News' 1 MB holds for each format it
 * takes, so the largest item counts.
 */
export function renderProfileFragments(
  article: Article,
  base: string,
  profiles: readonly ProfileRules[],
  restrict: RestrictHtml,
  standard: Readonly<Record<string, string>>,
): Record<string, string> {
  const fragments: Record<string, string> = {}
  for (const rules of profiles) {
    const content = profileContent(rules, article, restrict)
    const options: ItemOptions = {
      ...(rules.summary?.min !== undefined
        ? { description: profileDescription(article, rules) }
        : {}),
      content: content.html,
      ...(rules.imageElements ? { imageElements: rules.imageElements } : {}),
    }
    let bytes = 0
    for (const format of rules.formats) {
      const key = profileFragmentKey(rules, format)
      const item =
        key === format
          ? (standard[format] as string)
          : ITEM_RENDERERS[format](article, base, options)
      if (key !== format) fragments[key] = item
      bytes = Math.max(bytes, encoder.encode(item).byteLength)
    }
    const violations = checkArticle(rules, article, bytes, content.removed)
    fragments[profileViolationsKey(rules)] = JSON.stringify(violations)
  }
  return fragments
}

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
