import { displayTitle } from '../model/title'
import type { Article } from '../model/types'
import { formatRfc822 } from './dates'
import { type FeedChunks, type FeedDocument, feedPageUrl } from './document'
import { cdata, escapeAttr, escapePlain, escapeText } from './escape'
import { contentHtml } from './lead-image'
import {
  carries,
  type ItemOptions,
  MEDIA_NS,
  renderAttachmentsMedia,
  renderMediaContent,
  renderThumbnail,
  rssEnclosureOf,
} from './media-rss'

const NAMESPACES = [
  'xmlns:atom="http://www.w3.org/2005/Atom"',
  'xmlns:content="http://purl.org/rss/1.0/modules/content/"',
  'xmlns:dc="http://purl.org/dc/elements/1.1/"',
  `xmlns:media="${MEDIA_NS}"`,
].join(' ')

/**
 * A browser that opens a feed shows it through this stylesheet (where it still runs XSLT);
 * readers ignore the processing instruction. The HTML page of each feed is the other view.
 */
export const XSLT_VIEW = '<?xml-stylesheet type="text/xsl" href="/assets/feed.xsl"?>\n'

/** The generator named in every feed. */
export const GENERATOR = 'newswire'

export const RSS_TAIL = '  </channel>\n</rss>\n'

function renderCategories(article: Article, base: string): string {
  const categories = article.categories.map(
    (category) =>
      `      <category domain="${escapeAttr(`${base}/categories/`)}">${escapePlain(category.name)}</category>\n`,
  )
  const tags = article.tags.map(
    (tag) =>
      `      <category domain="${escapeAttr(`${base}/tags/`)}">${escapePlain(tag.name)}</category>\n`,
  )
  return categories.join('') + tags.join('')
}

// RSS 2.0 <enclosure>: "length says how big it is in bytes"; one only, and never a guessed size.
function renderEnclosure(article: Article, withImage: boolean): string {
  const file = rssEnclosureOf(article, withImage)
  if (!file) return ''
  return `      <enclosure url="${escapeAttr(file.url)}" length="${file.length}" type="${escapeAttr(file.type)}"/>\n`
}

// RSS 2.0 "Elements of <item>": all are optional, but an item holds a title or a description.
// An untitled article has no <title> (readers show its description in its place); a summary
// is empty only when nothing stands in for a title either (model/title.ts), so one is there.
function renderTitle(article: Article, description: string): string {
  const title = article.title || (description ? '' : displayTitle(article))
  return title ? `      <title>${escapePlain(title)}</title>\n` : ''
}

/** One `<item>`; depends on the article and the site origin only, so it is rendered once. */
export function renderRssItem(article: Article, base: string, options: ItemOptions = {}): string {
  const content = options.content === undefined ? contentHtml(article) : options.content
  const description = options.description ?? article.summary
  return (
    '    <item>\n' +
    renderTitle(article, description) +
    `      <link>${escapeText(article.url)}</link>\n` +
    `      <guid isPermaLink="false">${escapeText(article.id)}</guid>\n` +
    `      <pubDate>${formatRfc822(article.published)}</pubDate>\n` +
    `      <dc:creator>${escapePlain(article.author.name)}</dc:creator>\n` +
    renderCategories(article, base) +
    // <description> holds HTML: the plain summary is escaped once as HTML, then as XML.
    (description
      ? `      <description>${escapeText(escapeText(description))}</description>\n`
      : '') +
    (content === null ? '' : `      <content:encoded>${cdata(content)}</content:encoded>\n`) +
    (carries(options, 'media:content') ? renderMediaContent(article, '      ') : '') +
    renderAttachmentsMedia(article, '      ') +
    (carries(options, 'media:thumbnail') ? renderThumbnail(article, '      ') : '') +
    renderEnclosure(article, carries(options, 'enclosure')) +
    '    </item>\n'
  )
}

function renderAtomLinks(doc: FeedDocument): string {
  const links = [['self', doc.selfUrl], ...Object.entries(doc.paging ?? {})]
  if (doc.site.hub) links.push(['hub', doc.site.hub])
  return links
    .map(([rel, href]) => {
      const type = rel === 'hub' ? '' : ' type="application/rss+xml"'
      return `    <atom:link rel="${rel}" href="${escapeAttr(href as string)}"${type}/>\n`
    })
    .join('')
}

function renderImage(doc: FeedDocument, title: string, link: string): string {
  if (!doc.site.logo) return ''
  // RSS 2.0 <image>: its title and link must match the channel's (the W3C validator checks).
  return `    <image>\n      <url>${escapeText(doc.site.logo)}</url>\n      <title>${title}</title>\n      <link>${link}</link>\n    </image>\n`
}

/** Extensions a profile adds to the channel: namespace declarations and elements. */
export interface RssChannelExtras {
  namespaces: string
  elements: string
}

/** The XML declaration and `<channel>` up to its first item. */
export function renderRssHead(doc: FeedDocument, extras?: RssChannelExtras): string {
  const { site, feed } = doc
  const title = escapePlain(feed.title)
  const link = escapeText(feedPageUrl(site.url, feed))
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    XSLT_VIEW +
    `<rss version="2.0" ${NAMESPACES}${extras ? ` ${extras.namespaces}` : ''}>\n` +
    '  <channel>\n' +
    `    <title>${title}</title>\n` +
    `    <link>${link}</link>\n` +
    `    <description>${escapePlain(feed.description)}</description>\n` +
    `    <language>${escapeText(site.language.toLowerCase())}</language>\n` +
    `    <copyright>${escapePlain(site.copyright)}</copyright>\n` +
    `    <lastBuildDate>${formatRfc822(doc.updated)}</lastBuildDate>\n` +
    `    <generator>${GENERATOR}</generator>\n` +
    // Exactly this URL: the W3C validator recognises RSS 2.0's documentation by it.
    '    <docs>http://www.rssboard.org/rss-specification</docs>\n' +
    // <ttl> agrees with Cache-Control max-age, in minutes (RSS 2.0 "ttl").
    `    <ttl>${doc.ttl ?? Math.max(1, Math.round(site.maxAge / 60))}</ttl>\n` +
    renderImage(doc, title, link) +
    renderAtomLinks(doc) +
    (extras?.elements ?? '')
  )
}

/** RSS 2.0 with content, Dublin Core, Media RSS and Atom links. */
export function renderRss(doc: FeedDocument, items: readonly string[]): FeedChunks {
  return { head: renderRssHead(doc), items, separator: '', tail: RSS_TAIL }
}
