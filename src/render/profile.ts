import type { Article, Site } from '../model/types'
import { checkArticle, profileDescription } from '../profiles/check'
import type { ProfileRules } from '../profiles/rules'
import { formatRfc822 } from './dates'
import type { FeedDocument } from './document'
import { escapeAttr, escapeText } from './escape'
import { contentHtml } from './lead-image'
import { type RssChannelExtras, type RssItemOptions, renderRssItem } from './rss'

const encoder = new TextEncoder()

/**
 * Restricts HTML to an allowlist of elements (the content layer's sanitiser, passed in),
 * naming the elements it took out.
 */
export type RestrictHtml = (
  html: string,
  allowlist: readonly string[],
) => { html: string; removed: string[] }

/** The fragment key of a profile's own RSS item, and of the rules an article breaks in it. */
export const profileItemKey = (rules: ProfileRules) => `rss@${rules.id}`
export const profileViolationsKey = (rules: ProfileRules) => `violations@${rules.id}`

// A profile has items of its own when it changes the description, the body or the media.
function ownsItem(rules: ProfileRules): boolean {
  return Boolean(rules.descriptionMin || rules.htmlAllowlist || rules.thumbnail)
}

function itemOptions(
  rules: ProfileRules,
  article: Article,
  restricted: { html: string } | undefined,
): RssItemOptions {
  return {
    ...(rules.descriptionMin ? { description: profileDescription(article, rules) } : {}),
    ...(restricted ? { content: restricted.html } : {}),
    ...(rules.thumbnail ? { thumbnail: true } : {}),
  }
}

/**
 * An article's fragments for aggregator profiles, beside the standard ones: its own RSS item
 * when the profile changes the item, and every rule it breaks there (a hard one keeps it out;
 * `[]` when none, so that an article never checked against a profile can be told from one
 * that passed). Google News' 1 MB holds for each format it takes, so the largest item counts.
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
    const restricted = rules.htmlAllowlist
      ? restrict(contentHtml(article), rules.htmlAllowlist)
      : undefined
    const item = ownsItem(rules)
      ? renderRssItem(article, base, itemOptions(rules, article, restricted))
      : (standard.rss as string)
    if (ownsItem(rules)) fragments[profileItemKey(rules)] = item
    const others = rules.formats.filter((format) => format !== 'rss')
    const bytes = Math.max(
      ...[item, ...others.map((format) => standard[format] ?? '')].map(
        (text) => encoder.encode(text).byteLength,
      ),
    )
    const violations = checkArticle(rules, article, bytes, restricted?.removed)
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

/** The fragment key of a profile's items in `format`: its own RSS item, or the standard one. */
export function profileFragmentKey(rules: ProfileRules, format: string): string {
  const ownItem =
    format === 'rss' && (rules.descriptionMin || rules.htmlAllowlist || rules.thumbnail)
  return ownItem ? profileItemKey(rules) : format
}
