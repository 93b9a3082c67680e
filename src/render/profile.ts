import type { Article, Site } from '../model/types'
import { checkArticle, profileDescription, type Violation } from '../profiles/check'
import type { ProfileRules } from '../profiles/rules'
import { escapeAttr, escapeText } from './escape'
import { contentHtml } from './lead-image'
import { type RssChannelExtras, type RssItemOptions, renderRssItem } from './rss'

const encoder = new TextEncoder()

/** Restricts HTML to an allowlist of elements (the content layer's sanitiser, passed in). */
export type RestrictHtml = (html: string, allowlist: readonly string[]) => string

/** The fragment key of a profile's own RSS item, and of the hard rules an article breaks. */
export const profileItemKey = (rules: ProfileRules) => `rss@${rules.id}`
export const profileExclusionKey = (rules: ProfileRules) => `excluded@${rules.id}`

// A profile has items of its own when it changes the description, the body or the media.
function ownsItem(rules: ProfileRules): boolean {
  return Boolean(rules.descriptionMin || rules.htmlAllowlist || rules.thumbnail)
}

function itemOptions(
  rules: ProfileRules,
  article: Article,
  restrict: RestrictHtml,
): RssItemOptions {
  return {
    ...(rules.descriptionMin ? { description: profileDescription(article, rules) } : {}),
    ...(rules.htmlAllowlist
      ? { content: restrict(contentHtml(article), rules.htmlAllowlist) }
      : {}),
    ...(rules.thumbnail ? { thumbnail: true } : {}),
  }
}

/**
 * An article's fragments for aggregator profiles, beside the standard ones: its own RSS item
 * when the profile changes the item, and the hard rules it breaks (which keep it out; `[]` when
 * none, so that an article never checked against a profile can be told from one that passed).
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
    const item = ownsItem(rules)
      ? renderRssItem(article, base, itemOptions(rules, article, restrict))
      : (standard.rss as string)
    if (ownsItem(rules)) fragments[profileItemKey(rules)] = item
    const hard: Violation[] = checkArticle(rules, article, encoder.encode(item).byteLength).filter(
      (v) => v.hard,
    )
    fragments[profileExclusionKey(rules)] = JSON.stringify(hard)
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

function smartFormat(site: Site): RssChannelExtras {
  const logo = site.logo
    ? `    <snf:logo>\n      <url>${escapeText(site.logo)}</url>\n    </snf:logo>\n`
    : ''
  return { namespaces: 'xmlns:snf="http://www.smartnews.be/snf"', elements: logo }
}

/** The channel extensions of a profile, if it has any. */
export function profileChannel(rules: ProfileRules, site: Site): RssChannelExtras | undefined {
  if (rules.channel === 'webfeeds') return webfeeds(site)
  if (rules.channel === 'smartnews') return smartFormat(site)
  return undefined
}

/** The fragment key of a profile's items in `format`: its own RSS item, or the standard one. */
export function profileFragmentKey(rules: ProfileRules, format: string): string {
  const ownItem =
    format === 'rss' && (rules.descriptionMin || rules.htmlAllowlist || rules.thumbnail)
  return ownItem ? profileItemKey(rules) : format
}
