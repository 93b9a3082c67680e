import type { Article, Site } from '../model/types'
import { checkArticle, profileDescription } from '../profiles/check'
import type { ProfileRules } from '../profiles/rules'
import { renderAtomEntry } from './atom'
import { formatRfc822 } from './dates'
import type { FeedDocument } from './document'
import { escapeAttr, escapeText } from './escape'
import { contentHtml } from './lead-image'
import { type ItemOptions, STANDARD_IMAGE_ELEMENTS } from './media-rss'
import { type RssChannelExtras, renderRssItem } from './rss'

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

// Feedly reads webfeeds (http://webfeeds.org/rss/1.0); SmartNews its SmartFormat namespace.
function webfeeds(site: Site): RssChannelExtras {
  const elements = [
    site.cover ? `    <webfeeds:cover image="${escapeAttr(site.cover)}"/>\n` : '',
    site.icon ? `    <webfeeds:icon>${escapeText(site.icon)}</webfeeds:icon>\n` : '',
    site.logo ? `    <webfeeds:logo>${escapeText(site.logo)}</webfeeds:logo>\n` : '',
    site.accentColor
      ? `    <webfeeds:accentColor>${escapeText(site.accentColor)}</webfeeds:accentColor>\n`
      : '',
    '    <webfeeds:related layout="card" target="browser"/>\n',
  ]
  return { namespaces: 'xmlns:webfeeds="http://webfeeds.org/rss/1.0"', elements: elements.join('') }
}

// SmartFormat 2.2 requires the channel's <pubDate>: the newest item's, as <lastBuildDate>.
function smartFormat(doc: FeedDocument): RssChannelExtras {
  const logo = doc.site.logo
    ? `    <snf:logo>\n      <url>${escapeText(doc.site.logo)}</url>\n    </snf:logo>\n`
    : ''
  return {
    namespaces: 'xmlns:snf="http://www.smartnews.be/snf"',
    elements: `    <pubDate>${formatRfc822(doc.updated)}</pubDate>\n${logo}`,
  }
}

/** The channel extensions of a profile, if it has any. */
export function profileChannel(
  rules: ProfileRules,
  doc: FeedDocument,
): RssChannelExtras | undefined {
  if (rules.channel === 'webfeeds') return webfeeds(doc.site)
  if (rules.channel === 'smartnews') return smartFormat(doc)
  return undefined
}
