/**
 * Feeds as a migration source: RSS 2.0, Atom 1.0 and JSON Feed 1.0/1.1, each page of a paged
 * or archived feed followed to its end (RFC 5005 `next` and `prev-archive`, JSON `next_url`).
 * Feeds are read whole, one document at a time: a page is small.
 */
import { XMLParser } from 'fast-xml-parser'
import { type FollowHosts, followLink } from './follow'
import { absolute, type Carried, jsonAttachments, leadImage, xmlAttachments } from './media'
import {
  converted,
  decodeSlug,
  emptyRead,
  keptItem,
  type Problem,
  plainText,
  positionOf,
  type SourceAttachment,
  type SourceAuthor,
  SourceError,
  type SourceImage,
  type SourceItem,
  type SourceRead,
  type SourceTerm,
  skip,
  skipBeyondBounds,
  type Where,
} from './source'
import { documentProblems } from './well-formed'

type Node = Record<string, unknown>

// Both parsers read attributes (as `@name`) and text as written, entities decoded.
const READ_AS_WRITTEN = {
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
}

const parser = new XMLParser({
  ...READ_AS_WRITTEN,
  isArray: (name) =>
    [
      'item',
      'entry',
      'category',
      'link',
      'author',
      'media:content',
      'media:thumbnail',
      'media:group',
      'enclosure',
      'atom:link',
      'dc:subject',
    ].includes(name),
})

// Atom's text constructs are read raw (stopNodes): their markup, in order, is the content.
const atomParser = new XMLParser({
  ...READ_AS_WRITTEN,
  stopNodes: ['feed.title', 'feed.entry.title', 'feed.entry.content', 'feed.entry.summary'],
  isArray: (name) =>
    [
      'entry',
      'category',
      'link',
      'author',
      'media:content',
      'media:thumbnail',
      'media:group',
    ].includes(name),
})

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

// The text of raw XML content: CDATA unwrapped, entities decoded.
function xmlText(raw: string): string {
  return raw.replace(
    /<!\[CDATA\[([\s\S]*?)\]\]>|&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi,
    (_, cdata: string | undefined, entity: string | undefined) => {
      if (cdata !== undefined) return cdata
      const name = entity as string
      if (name[0] === '#')
        return String.fromCodePoint(
          name[1] === 'x' || name[1] === 'X'
            ? Number.parseInt(name.slice(2), 16)
            : Number(name.slice(1)),
        )
      return XML_ENTITIES[name.toLowerCase()] ?? ''
    },
  )
}

function text(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (typeof value === 'string' || typeof value === 'number') return String(value).trim()
  if (Array.isArray(value)) return value.map(text).join('')
  return text((value as Node)['#text'] ?? '')
}

const list = <T>(value: unknown): T[] =>
  value === undefined ? [] : Array.isArray(value) ? (value as T[]) : [value as T]

function date(value: string): string | undefined {
  if (!value) return undefined
  const time = Date.parse(value)
  return Number.isNaN(time) ? undefined : new Date(time).toISOString()
}

/**
 * Where the next page is, as written: RFC 5005 §3 `next` (paged) or §4 `prev-archive`
 * (archived); follow.ts resolves it and decides whether it is read.
 */
function nextPage(links: Node[]): string | undefined {
  for (const rel of ['next', 'prev-archive']) {
    const link = links.find((l) => l['@rel'] === rel)
    if (link?.['@href']) return String(link['@href']).trim()
  }
  return undefined
}

// RSS <author> is an e-mail address, perhaps with a name in parentheses: only the name is kept.
function rssAuthor(item: Node): SourceAuthor | undefined {
  const creator = plainText(text(item['dc:creator']))
  if (creator) return { name: creator }
  const author = text(list(item.author)[0])
  const name = /\(([^)]+)\)/.exec(author)?.[1]?.trim() ?? (author.includes('@') ? '' : author)
  return name ? { name } : undefined
}

function slugFromLink(link: string | undefined): string | undefined {
  if (!link) return undefined
  try {
    const segments = new URL(link).pathname.split('/').filter(Boolean)
    const last = segments.at(-1)
    return last ? decodeSlug(last.replace(/\.(?:html?|php)$/i, '')) : undefined
  } catch {
    return undefined
  }
}

// The address an item's relative URLs resolve against (XML Base, then the feed's own link,
// then the feed's URL): the first of `bases` that is an absolute http(s) URL, each resolved
// against the ones after it.
function baseOf(...bases: unknown[]): string | undefined {
  let base: string | undefined
  for (const value of bases.reverse()) base = absolute(value, base) ?? base
  return base
}

// The item's real permalink: FeedBurner's and Pheedo's origLink, behind their tracking link.
function permalink(item: Node, link: unknown, base: string | undefined): string | undefined {
  return (
    absolute(text(item['feedburner:origLink']), base) ??
    absolute(text(item['pheedo:origLink']), base) ??
    absolute(link, base) ??
    (String(link ?? '').startsWith('/') ? String(link) : undefined)
  )
}

function rssItems(
  channel: Node,
  where: (index: number) => string,
  read: SourceRead,
  page?: string,
): void {
  const channelBase = baseOf(channel['@xml:base'], text(channel.link), page)
  list<Node>(channel.item).forEach((item, index) => {
    const base = baseOf(item['@xml:base'], channelBase)
    const guid = text(item.guid)
    const content = text(item['content:encoded'])
    const description = text(item.description)
    const published = date(text(item.pubDate) || text(item['dc:date']))
    const modified = date(text(item['atom:updated']) || text(item['dcterms:modified']))
    // WordPress and most CMSs put categories and tags alike in <category>: all become tags.
    const tags = [...list(item.category), ...list(item['dc:subject'])]
      .map((c) => ({ name: plainText(text(c)) }))
      .filter((t) => t.name)
    addFeedItem(read, {
      where: where(index),
      guid,
      title: plainText(text(item.title)),
      link: permalink(item, text(item.link), base),
      html: content || description,
      excerpt: content && description ? description : undefined,
      published,
      modified,
      author: rssAuthor(item),
      tags,
      image: leadImage(item, base),
      carried: xmlAttachments(item, base),
    })
  })
}

/** What a feed's item gives, in any of the three formats. */
interface FeedItemFields {
  where: Where
  guid: string | undefined
  title: string
  link: string | undefined
  /** The body's HTML, and a summary beside it (HTML) when the feed gives both. */
  html: string
  excerpt: string | undefined
  published: string | undefined
  modified: string | undefined
  author: SourceAuthor | undefined
  tags: SourceTerm[]
  image: SourceImage | undefined
  /** Audio and video it carries, and how many other enclosures it had. */
  carried: Carried
}

/** Adds a feed's item to what was read: the same shape whatever the format. */
function addFeedItem(read: SourceRead, f: FeedItemFields): void {
  if (skipBeyondBounds(read, f.where, f.html)) return
  const slug = slugFromLink(f.link)
  const attachments: SourceAttachment[] = f.carried.attachments
  if (f.carried.other > 0)
    skip(read, 'an enclosure neither audio, video nor an image (not carried over)', f.carried.other)
  read.items.push(
    keptItem({
      where: f.where,
      ...(f.guid ? { guid: f.guid } : {}),
      title: f.title,
      ...(f.link ? { link: f.link } : {}),
      ...(slug ? { slug } : {}),
      ...converted(f.html, f.excerpt, false, read.notes),
      ...(f.published ? { published: f.published } : {}),
      ...(f.modified ? { modified: f.modified } : {}),
      ...(f.author ? { author: f.author } : {}),
      categories: [],
      tags: f.tags,
      ...(f.image ? { image: f.image } : {}),
      ...(attachments.length > 0 ? { attachments } : {}),
    }),
  )
}

// Atom text constructs (RFC 4287 §3.1), read raw: text (escaped here), html (entity-escaped
// markup), or xhtml (a div whose content is the markup itself).
function atomText(node: unknown): string {
  if (node === undefined || node === null) return ''
  const raw = typeof node === 'string' ? node : String((node as Node)['#text'] ?? '')
  const type = typeof node === 'object' ? (node as Node)['@type'] : undefined
  if (type === 'xhtml')
    return raw
      .trim()
      .replace(/^<(?:xhtml:)?div\b[^>]*>/, '')
      .replace(/<\/(?:xhtml:)?div>$/, '')
      .replace(/<(\/?)xhtml:/g, '<$1')
  const value = xmlText(raw)
  return type === 'html' ? value : value.replace(/&/g, '&amp;').replace(/</g, '&lt;')
}

function atomEntries(
  feed: Node,
  where: (index: number) => string,
  read: SourceRead,
  page?: string,
): void {
  const feedAuthor = list<Node>(feed.author)[0]
  const home = list<Node>(feed.link).find((l) => !l['@rel'] || l['@rel'] === 'alternate')
  // RFC 4287 §2: xml:base applies to the element and all it holds (RFC 3986 §5.1 for the rest).
  const feedBase = baseOf(feed['@xml:base'], home?.['@href'], page)
  list<Node>(feed.entry).forEach((entry, index) => {
    const base = baseOf(entry['@xml:base'], feedBase)
    const links = list<Node>(entry.link)
    const alternate = links.find((l) => !l['@rel'] || l['@rel'] === 'alternate')
    const link = permalink(entry, alternate?.['@href'], base)
    const authorNode = list<Node>(entry.author)[0] ?? feedAuthor
    const name = plainText(text(authorNode?.name))
    const uri = text(authorNode?.uri)
    const categories = list<Node>(entry.category)
      .map(
        (c): SourceTerm => ({
          name: plainText(String(c['@label'] ?? c['@term'] ?? '')),
          ...(c['@term'] ? { slug: String(c['@term']) } : {}),
        }),
      )
      .filter((c) => c.name)
    const content = atomText(entry.content)
    const summary = atomText(entry.summary)
    const published = date(text(entry.published)) ?? date(text(entry.updated))
    const modified = date(text(entry.updated))
    const id = text(entry.id)
    addFeedItem(read, {
      where: where(index),
      guid: id,
      title: plainText(atomText(entry.title)),
      link,
      html: content || summary,
      excerpt: content && summary ? summary : undefined,
      published,
      modified,
      author: name ? { name, ...(/^https?:\/\//.test(uri) ? { url: uri } : {}) } : undefined,
      tags: categories,
      image: leadImage(entry, base),
      carried: xmlAttachments(entry, base),
    })
  })
}

function jsonItems(
  feed: Node,
  where: (index: number) => string,
  read: SourceRead,
  page?: string,
): void {
  const feedAuthors = list<Node>(feed.authors ?? feed.author)
  const base = baseOf(feed.home_page_url, feed.feed_url, page)
  list<Node>(feed.items).forEach((item, index) => {
    const id = item.id === undefined || item.id === null ? '' : String(item.id)
    const link = permalink({}, typeof item.url === 'string' ? item.url : undefined, base)
    const author = list<Node>(item.authors ?? item.author)[0] ?? feedAuthors[0]
    const html =
      typeof item.content_html === 'string'
        ? item.content_html
        : typeof item.content_text === 'string'
          ? item.content_text
              .split(/\n\s*\n/)
              .map((p) => `<p>${p.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>`)
              .join('\n')
          : ''
    const published =
      date(String(item.date_published ?? '')) ?? date(String(item.date_modified ?? ''))
    const modified = date(String(item.date_modified ?? ''))
    const imageUrl = absolute(typeof item.image === 'string' ? item.image : item.banner_image, base)
    addFeedItem(read, {
      where: where(index),
      guid: id,
      title: plainText(String(item.title ?? '')),
      link,
      html,
      excerpt:
        typeof item.summary === 'string' && item.summary
          ? item.summary.replace(/&/g, '&amp;').replace(/</g, '&lt;')
          : undefined,
      published,
      modified,
      author:
        author && typeof author.name === 'string'
          ? {
              name: author.name,
              ...(typeof author.url === 'string' && /^https?:\/\//.test(author.url)
                ? { url: author.url }
                : {}),
            }
          : undefined,
      tags: list<unknown>(item.tags)
        .filter((t): t is string => typeof t === 'string' && t.trim() !== '')
        .map((name) => ({ name: name.trim() })),
      image: imageUrl ? { url: imageUrl } : undefined,
      carried: jsonAttachments(item, base),
    })
  })
}

// What the feed says of its site, for a fresh site.yaml: the first page that says wins.
function describeSite(read: SourceRead, ...[description, language, copyright]: unknown[]): void {
  const plain = (value: unknown) => plainText(xmlText(text(value))) || undefined
  read.description ??= plain(description)
  read.language ??= text(language) || undefined
  read.copyright ??= plain(copyright)
}

/** How readFeeds goes from page to page. */
export interface Paging {
  /** The source as given: a file's name or a URL, whose host next links stay on. */
  source: string
  /** Pages read at most, the first included. */
  pages: number
  hosts: FollowHosts
}

// Each page's problems come from its own document: the parser's, with positions in it.
function xmlProblems(page: { name: string; text: string }): Problem[] {
  return documentProblems(page.text, page.name, (offset) => positionOf(page.text, offset))
}

/**
 * Reads a feed document and the pages after it; `load` reads a page by URL (a local source's
 * pages as `file:///name`), and tells where it came from after redirects (`base`, which its
 * relative links resolve against). A page that cannot be read after the first, a next link the rules
 * refuse (follow.ts) and the page limit end the reading with a warning: what was read is kept.
 */
export async function readFeeds(
  first: { name: string; text: string; base?: string },
  load: (url: string) => Promise<string | { url: string; text: string }>,
  paging: Partial<Paging> = {},
): Promise<SourceRead> {
  const { source = first.name, pages = 1000, hosts = new Set<string>() } = paging
  const read = emptyRead()
  const seen = new Set<string>()
  let page: { name: string; text: string; base?: string } | undefined = first
  for (let count = 1; page; count++) {
    seen.add(page.name)
    const before = read.items.length
    const href = readPage(page, read)
    if (
      !read.feed &&
      /^https?:\/\//.test(page.name) &&
      read.problems.length === 0 &&
      before === 0
    ) {
      const trimmed = page.text.trimStart()
      const format = trimmed.startsWith('{')
        ? 'json'
        : /<feed[\s>]/.test(trimmed.slice(0, 2000))
          ? 'atom'
          : 'rss'
      read.feed = { url: page.name, format }
    }
    if (href === undefined || read.problems.length > 0) break
    const next = followLink(href, page.base ?? page.name, source, hosts)
    if ('refused' in next) {
      read.warnings.push({ where: page.name, message: `its next page ${next.refused}` })
      break
    }
    if (seen.has(next.url)) break
    if (count >= pages) {
      read.warnings.push({
        where: source,
        message: `stopped after ${count} pages (--max-pages); the next was ${next.url}`,
      })
      break
    }
    try {
      const loaded = await load(next.url)
      // A page that redirected keeps the address it was asked by; its links resolve where it is.
      page =
        typeof loaded === 'string'
          ? { name: next.url, text: loaded }
          : { name: next.url, text: loaded.text, base: loaded.url }
    } catch (error) {
      // Deliberate: the pages before are kept and migrated; the rest is reported, not lost.
      const problem =
        error instanceof SourceError
          ? error.problems[0]
          : { where: next.url, message: error instanceof Error ? error.message : String(error) }
      read.warnings.push({
        where: problem?.where ?? next.url,
        message: `${problem?.message}; the ${count} pages before it are migrated, the rest is not`,
      })
      break
    }
  }
  // Paged archives may repeat an item across pages: the first one seen is kept.
  const ids = new Set<string>()
  read.items = read.items.filter((item) => {
    const key = item.guid ?? item.link ?? item.where
    if (ids.has(key)) return false
    ids.add(key)
    return true
  })
  return read
}

/** Reads one page into `read`; returns its next link as written, if it has one. */
function readPage(page: { name: string; text: string }, read: SourceRead): string | undefined {
  const trimmed = page.text.trimStart()
  const base = /^https?:\/\//.test(page.name) ? page.name : 'file:///'
  if (trimmed.startsWith('{')) {
    let feed: Node
    try {
      feed = JSON.parse(page.text) as Node
    } catch (error) {
      const message = String(error)
      const offset = /end of JSON input/.test(message)
        ? page.text.length
        : Number(/position (\d+)/.exec(message)?.[1] ?? 0)
      const { line, column } = positionOf(page.text, offset)
      read.problems.push({
        where: `${page.name}:${line}:${column}`,
        message: `is not valid JSON: ${(error as Error).message}`,
      })
      return undefined
    }
    if (
      typeof feed.version !== 'string' ||
      !feed.version.startsWith('https://jsonfeed.org/version/1')
    ) {
      read.problems.push({
        where: page.name,
        message: 'is JSON but not a JSON Feed (no "version": "https://jsonfeed.org/version/1…")',
      })
      return undefined
    }
    read.title ??= typeof feed.title === 'string' ? feed.title : undefined
    read.link ??= typeof feed.home_page_url === 'string' ? feed.home_page_url : undefined
    describeSite(read, feed.description, feed.language, undefined)
    jsonItems(feed, (i) => `${page.name}: items[${i}]`, read, base)
    return typeof feed.next_url === 'string' ? feed.next_url : undefined
  }
  const problems = xmlProblems(page)
  if (problems.length > 0) {
    read.problems.push(...problems)
    return undefined
  }
  const doc = parser.parse(page.text) as Node
  const rss = doc.rss as Node | undefined
  const atom = doc.feed ? ((atomParser.parse(page.text) as Node).feed as Node) : undefined
  if (rss?.channel) {
    const channel = rss.channel as Node
    read.title ??= plainText(text(channel.title)) || undefined
    read.link ??= text(channel.link) || undefined
    describeSite(read, channel.description, channel.language, channel.copyright)
    rssItems(channel, (i) => `${page.name}: item ${i + 1}`, read, base)
    return nextPage(list<Node>(channel['atom:link']))
  }
  if (atom) {
    read.title ??= plainText(atomText(atom.title)) || undefined
    const alternate = list<Node>(atom.link).find((l) => !l['@rel'] || l['@rel'] === 'alternate')
    read.link ??= alternate?.['@href'] ? String(alternate['@href']) : undefined
    describeSite(read, atom.subtitle, atom['@xml:lang'], atom.rights)
    atomEntries(atom, (i) => `${page.name}: entry ${i + 1}`, read, base)
    return nextPage(list<Node>(atom.link))
  }
  read.problems.push({
    where: page.name,
    message: 'is neither RSS 2.0, Atom 1.0, JSON Feed nor a WordPress export',
  })
  return undefined
}

export type { SourceItem }
