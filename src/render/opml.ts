import type { Site } from '../model/types'
import { formatRfc822 } from './dates'
import { escapeAttr, escapeText } from './escape'

/** One feed in the outline. */
export interface OpmlFeed {
  title: string
  xmlUrl: string
  htmlUrl: string
  description: string
}

export interface OpmlDocument {
  site: Site
  /** What the list holds, said in its title. */
  title: string
  updated: string
  groups: { title: string; feeds: OpmlFeed[] }[]
}

function renderOutline(feed: OpmlFeed, indent: string): string {
  // OPML 2.0 "Subscription lists": type="rss" for any feed format, with xmlUrl and htmlUrl.
  return `${indent}<outline type="rss" version="RSS2" text="${escapeAttr(feed.title)}" title="${escapeAttr(feed.title)}" description="${escapeAttr(feed.description)}" xmlUrl="${escapeAttr(feed.xmlUrl)}" htmlUrl="${escapeAttr(feed.htmlUrl)}"/>\n`
}

/** An OPML 2.0 subscription list, its feeds grouped by kind. */
export function renderOpml(doc: OpmlDocument): string {
  const groups = doc.groups
    .filter((group) => group.feeds.length > 0)
    .map(
      (group) =>
        `    <outline text="${escapeAttr(group.title)}">\n${group.feeds.map((f) => renderOutline(f, '      ')).join('')}    </outline>\n`,
    )
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<opml version="2.0">\n' +
    '  <head>\n' +
    `    <title>${escapeText(doc.title)}</title>\n` +
    `    <dateModified>${formatRfc822(doc.updated)}</dateModified>\n` +
    `    <ownerName>${escapeText(doc.site.title)}</ownerName>\n` +
    '  </head>\n' +
    '  <body>\n' +
    groups.join('') +
    '  </body>\n' +
    '</opml>\n'
  )
}
