import { atomIdOf } from '../model/id'
import { displayTitle } from '../model/title'
import type { Article } from '../model/types'
import { formatRfc3339 } from './dates'
import { type FeedChunks, type FeedDocument, feedFileUrl, feedPageUrl } from './document'
import { cdata, escapeAttr, escapePlain, escapePlainAttr, escapeText } from './escape'
import { contentHtml } from './lead-image'
import {
  carries,
  enclosureOf,
  type ItemOptions,
  MEDIA_NS,
  renderMediaContent,
  renderThumbnail,
} from './media-rss'
import { GENERATOR, XSLT_VIEW } from './rss'

export const ATOM_TAIL = '</feed>\n'

function renderCategories(article: Article, base: string): string {
  // RFC 4287 §4.2.2: `term` is required; `label` is the human-readable name.
  const category = (term: string, scheme: string, label: string) =>
    `    <category term="${escapeAttr(term)}" scheme="${escapeAttr(scheme)}" label="${escapePlainAttr(label)}"/>\n`
  return (
    article.categories.map((c) => category(c.slug, `${base}/categories/`, c.name)).join('') +
    article.tags.map((t) => category(t.slug, `${base}/tags/`, t.name)).join('')
  )
}

function renderEnclosureLink(article: Article): string {
  const file = enclosureOf(article)
  if (!file) return ''
  return `    <link rel="enclosure" type="${escapeAttr(file.type)}" length="${file.length}" href="${escapeAttr(file.url)}"/>\n`
}

// RFC 4287 §4.2.7.2: rel="enclosure" names a related resource that may be large; `length`
// is a hint (§4.2.7.6), so given only when known; `title` (§4.2.7.5) is human-readable.
function renderAttachmentLinks(article: Article): string {
  return (article.attachments ?? [])
    .map(
      (file) =>
        `    <link rel="enclosure" type="${escapeAttr(file.type)}"${file.length ? ` length="${file.length}"` : ''}${file.title ? ` title="${escapePlainAttr(file.title)}"` : ''} href="${escapeAttr(file.url)}"/>\n`,
    )
    .join('')
}

// RFC 4287 §4.2.14: a summary is needed only where content is not inline; an empty one says
// nothing, so it is left out.
function renderSummary(summary: string): string {
  return summary ? `    <summary type="text">${escapePlain(summary)}</summary>\n` : ''
}

/**
 * One `<entry>`; depends on the article and the site origin only, so it is rendered once. A
 * teaser has no `<content>`: its alternate link and summary stand for it (RFC 4287 §4.1.1).
 */
export function renderAtomEntry(article: Article, base: string, options: ItemOptions = {}): string {
  const author = article.author
  const content = options.content === undefined ? contentHtml(article) : options.content
  return (
    '  <entry>\n' +
    `    <id>${escapeText(atomIdOf(article.id))}</id>\n` +
    // RFC 4287 §4.1.2: every entry has a title; an untitled article shows what stands in.
    `    <title type="text">${escapePlain(displayTitle(article))}</title>\n` +
    `    <link rel="alternate" type="text/html" href="${escapeAttr(article.url)}"/>\n` +
    (carries(options, 'enclosure') ? renderEnclosureLink(article) : '') +
    renderAttachmentLinks(article) +
    `    <published>${formatRfc3339(article.published)}</published>\n` +
    `    <updated>${formatRfc3339(article.updated)}</updated>\n` +
    `    <author>\n      <name>${escapePlain(author.name)}</name>\n      <uri>${escapeText(author.url)}</uri>\n    </author>\n` +
    renderCategories(article, base) +
    renderSummary(options.description ?? article.summary) +
    (content === null ? '' : `    <content type="html">${cdata(content)}</content>\n`) +
    (carries(options, 'media:content') ? renderMediaContent(article, '    ') : '') +
    (carries(options, 'media:thumbnail') ? renderThumbnail(article, '    ') : '') +
    '  </entry>\n'
  )
}

function renderLinks(doc: FeedDocument): string {
  const link = (rel: string, href: string, type?: string) =>
    `  <link rel="${rel}"${type ? ` type="${type}"` : ''} href="${escapeAttr(href)}"/>\n`
  const paging = Object.entries(doc.paging ?? {}).map(([rel, href]) =>
    link(rel, href, 'application/atom+xml'),
  )
  return (
    // The alternate link first: several readers take the first <link> as the site's address.
    link('alternate', feedPageUrl(doc.site.url, doc.feed), 'text/html') +
    link('self', doc.selfUrl, 'application/atom+xml') +
    paging.join('') +
    (doc.site.hub ? link('hub', doc.site.hub) : '')
  )
}

function renderImages(doc: FeedDocument): string {
  const { icon, logo } = doc.site
  return (
    (icon ? `  <icon>${escapeText(icon)}</icon>\n` : '') +
    (logo ? `  <logo>${escapeText(logo)}</logo>\n` : '')
  )
}

/** The XML declaration and `<feed>` up to its first entry. */
export function renderAtomHead(doc: FeedDocument): string {
  const { site, feed } = doc
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    XSLT_VIEW +
    `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="${MEDIA_NS}" xml:lang="${escapeAttr(site.language)}">\n` +
    // RFC 4287 §4.2.6: the id is permanent and unique; the canonical URL of this feed's Atom
    // file (no query: ?limit and ?page are views of the same feed) is both.
    `  <id>${escapeText(feedFileUrl(site.url, feed, 'atom.xml'))}</id>\n` +
    `  <title type="text">${escapePlain(feed.title)}</title>\n` +
    `  <subtitle type="text">${escapePlain(feed.description)}</subtitle>\n` +
    `  <updated>${formatRfc3339(doc.updated)}</updated>\n` +
    `  <author>\n    <name>${escapePlain(site.title)}</name>\n    <uri>${escapeText(`${site.url}/`)}</uri>\n  </author>\n` +
    renderLinks(doc) +
    `  <generator>${GENERATOR}</generator>\n` +
    renderImages(doc) +
    `  <rights type="text">${escapePlain(site.copyright)}</rights>\n`
  )
}

/** Atom 1.0 (RFC 4287) with Media RSS for lead images. */
export function renderAtom(doc: FeedDocument, items: readonly string[]): FeedChunks {
  return { head: renderAtomHead(doc), items, separator: '', tail: ATOM_TAIL }
}
