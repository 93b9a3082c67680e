/**
 * Feeds as a migration source: RSS 2.0, Atom 1.0 and JSON Feed 1.0/1.1, each page of a paged
 * or archived feed followed to its end (RFC 5005 `next` and `prev-archive`, JSON `next_url`).
 * Feeds are read whole, one document at a time: a page is small.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import {
  converted,
  decodeSlug,
  emptyRead,
  keptItem,
  plainText,
  positionOf,
  type SourceAuthor,
  type SourceImage,
  type SourceItem,
  type SourceRead,
  type SourceTerm,
  skipBeyondBounds,
  type Where,
} from './source'

type Node = Record<string, unknown>

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
  isArray: (name) =>
    [
      'item',
      'entry',
      'category',
      'link',
      'author',
      'media:content',
      'media:thumbnail',
      'enclosure',
      'atom:link',
      'dc:subject',
    ].includes(name),
})

// Atom's text constructs are read raw (stopNodes): their markup, in order, is the content.
const atomParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
  stopNodes: ['feed.title', 'feed.entry.title', 'feed.entry.content', 'feed.entry.summary'],
  isArray: (name) =>
    ['entry', 'category', 'link', 'author', 'media:content', 'media:thumbnail'].includes(name),
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

function number(value: unknown): number | undefined {
  const n = Number(value)
  return Number.isInteger(n) && n > 0 ? n : undefined
}

/** Where the next page is: RFC 5005 §3 `next` (paged) or §4 `prev-archive` (archived). */
function nextPage(links: Node[], base: string): string | undefined {
  for (const rel of ['next', 'prev-archive']) {
    const link = links.find((l) => l['@rel'] === rel)
    if (link?.['@href']) return new URL(String(link['@href']), base).href
  }
  return undefined
}

// The lead image a feed item carries: Media RSS content or thumbnail, or an image enclosure.
function mediaImage(node: Node): SourceImage | undefined {
  const medium = list<Node>(node['media:content']).find(
    (m) => m['@medium'] === 'image' || String(m['@type'] ?? '').startsWith('image/'),
  )
  const thumbnail = list<Node>(node['media:thumbnail'])[0]
  const enclosure = [
    ...list<Node>(node.enclosure),
    ...list<Node>(node.link).filter((l) => l['@rel'] === 'enclosure'),
  ].find((e) => String(e['@type'] ?? '').startsWith('image/'))
  const chosen = medium ?? thumbnail ?? enclosure
  const url = String(chosen?.['@url'] ?? chosen?.['@href'] ?? '')
  if (!chosen || !/^https?:\/\//i.test(url)) return undefined
  const description = plainText(
    text(medium?.['media:description'] ?? node['media:description'] ?? ''),
  )
  const credit = plainText(text(medium?.['media:credit'] ?? node['media:credit'] ?? ''))
  return {
    url,
    ...(description ? { alt: description } : {}),
    ...(credit ? { credit } : {}),
    ...(number(chosen['@width']) ? { width: number(chosen['@width']) as number } : {}),
    ...(number(chosen['@height']) ? { height: number(chosen['@height']) as number } : {}),
    ...(String(chosen['@type'] ?? '').startsWith('image/')
      ? { type: String(chosen['@type']) }
      : {}),
  }
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

function rssItems(channel: Node, where: (index: number) => string, read: SourceRead): void {
  list<Node>(channel.item).forEach((item, index) => {
    const guid = text(item.guid)
    const link = text(item.link)
    const content = text(item['content:encoded'])
    const description = text(item.description)
    const published = date(text(item.pubDate) || text(item['dc:date']))
    const modified = date(text(item['atom:updated']) || text(item['dcterms:modified']))
    const author = rssAuthor(item)
    const image = mediaImage(item)
    // WordPress and most CMSs put categories and tags alike in <category>: all become tags.
    const tags = [...list(item.category), ...list(item['dc:subject'])]
      .map((c) => ({ name: plainText(text(c)) }))
      .filter((t) => t.name)
    addFeedItem(read, {
      where: where(index),
      guid,
      title: plainText(text(item.title)),
      link,
      html: content || description,
      excerpt: content && description ? description : undefined,
      published,
      modified,
      author,
      tags,
      image,
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
}

/** Adds a feed's item to what was read: the same shape whatever the format. */
function addFeedItem(read: SourceRead, f: FeedItemFields): void {
  if (skipBeyondBounds(read, f.where, f.html)) return
  const slug = slugFromLink(f.link)
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

function atomEntries(feed: Node, where: (index: number) => string, read: SourceRead): void {
  const feedAuthor = list<Node>(feed.author)[0]
  list<Node>(feed.entry).forEach((entry, index) => {
    const links = list<Node>(entry.link)
    const alternate = links.find((l) => !l['@rel'] || l['@rel'] === 'alternate')
    const link = alternate?.['@href'] ? String(alternate['@href']) : undefined
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
    const image = mediaImage(entry)
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
      image,
    })
  })
}

function jsonItems(feed: Node, where: (index: number) => string, read: SourceRead): void {
  const feedAuthors = list<Node>(feed.authors ?? feed.author)
  list<Node>(feed.items).forEach((item, index) => {
    const id = item.id === undefined || item.id === null ? '' : String(item.id)
    const link = typeof item.url === 'string' ? item.url : undefined
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
    const imageUrl =
      typeof item.image === 'string'
        ? item.image
        : typeof item.banner_image === 'string'
          ? item.banner_image
          : undefined
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
      image: imageUrl && /^https?:\/\//i.test(imageUrl) ? { url: imageUrl } : undefined,
    })
  })
}

/** Reads a feed document and the pages after it; `load` fetches or reads a page by URL. */
export async function readFeeds(
  first: { name: string; text: string },
  load: (url: string) => Promise<string>,
): Promise<SourceRead> {
  const read = emptyRead()
  const seen = new Set<string>()
  let page: { name: string; text: string } | undefined = first
  while (page) {
    seen.add(page.name)
    const before = read.items.length
    const next = readPage(page, read)
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
    if (!next || seen.has(next) || read.problems.length > 0) break
    page = { name: next, text: await load(next) }
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
    jsonItems(feed, (i) => `${page.name}: items[${i}]`, read)
    return typeof feed.next_url === 'string' ? new URL(feed.next_url, base).href : undefined
  }
  const valid = XMLValidator.validate(page.text)
  if (valid !== true) {
    read.problems.push({
      where: `${page.name}:${valid.err.line}:${valid.err.col}`,
      message: valid.err.msg,
    })
    return undefined
  }
  const doc = parser.parse(page.text) as Node
  const rss = doc.rss as Node | undefined
  const atom = doc.feed ? ((atomParser.parse(page.text) as Node).feed as Node) : undefined
  if (rss?.channel) {
    const channel = rss.channel as Node
    read.title ??= plainText(text(channel.title)) || undefined
    read.link ??= text(channel.link) || undefined
    rssItems(channel, (i) => `${page.name}: item ${i + 1}`, read)
    return nextPage(list<Node>(channel['atom:link']), base)
  }
  if (atom) {
    read.title ??= plainText(atomText(atom.title)) || undefined
    const alternate = list<Node>(atom.link).find((l) => !l['@rel'] || l['@rel'] === 'alternate')
    read.link ??= alternate?.['@href'] ? String(alternate['@href']) : undefined
    atomEntries(atom, (i) => `${page.name}: entry ${i + 1}`, read)
    return nextPage(list<Node>(atom.link), base)
  }
  read.problems.push({
    where: page.name,
    message: 'is neither RSS 2.0, Atom 1.0, JSON Feed nor a WordPress export',
  })
  return undefined
}

export type { SourceItem }
