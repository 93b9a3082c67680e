import type { ProfileRules } from '../model/profile'
import type { Site } from '../model/types'
import { formatRfc822 } from './dates'
import type { FeedDocument } from './document'
import { escapeAttr, escapeText } from './escape'
import type { RssChannelExtras } from './rss'

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
