/**
 * A WordPress export (WXR 1.0, 1.1, 1.2: Tools → Export) read as a stream: each `<item>` is cut
 * out of the text as it arrives (CDATA sections and comments skipped, so a `<item>` inside a
 * post's body is only text) and parsed alone with fast-xml-parser, so memory holds one item
 * at a time whatever the export's size. The channel around the items (authors, categories,
 * tags) is small and parsed once at the end.
 */
import { XMLParser } from 'fast-xml-parser'
import {
  converted,
  decodeSlug,
  detached,
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
} from './source'
import { documentProblems } from './well-formed'

/** An item's XML and where it starts in the export. */
interface ItemText {
  xml: string
  line: number
  column: number
}

const TOKEN = /<!\[CDATA\[|<!--|<item[\s>]|<\/item>/g

/**
 * `text` copied: the channel text is gathered between items for the whole export, and a slice
 * of the scanner's buffer would keep that buffer (megabytes) alive in V8 with it.
 */
const own = (text: string) => Buffer.from(text, 'utf8').toString('utf8')

/** The export without its items, and where each run of that text starts in the export. */
export interface Outside {
  text: string
  runs: { at: number; line: number; column: number }[]
}

/** An empty Outside, for scanItems to fill. */
export const emptyOutside = (): Outside => ({ text: '', runs: [] })

/** Line and column in the export of an offset in the outside text. */
export function locateOutside(outside: Outside, offset: number): { line: number; column: number } {
  let low = 0
  for (let high = outside.runs.length - 1; low < high; ) {
    const mid = (low + high + 1) >> 1
    if ((outside.runs[mid]?.at ?? 0) <= offset) low = mid
    else high = mid - 1
  }
  const run = outside.runs[low] ?? { at: 0, line: 1, column: 1 }
  const { line, column } = positionOf(outside.text.slice(run.at, offset), offset - run.at)
  return line === 1
    ? { line: run.line, column: run.column + column - 1 }
    : { line: run.line + line - 1, column }
}

/** The problems of one item's XML, at their places in the export. */
export function itemProblems(part: ItemText, file: string): Problem[] {
  return documentProblems(part.xml, file, (offset) => {
    const { line, column } = positionOf(part.xml, offset)
    return line === 1
      ? { line: part.line, column: part.column + column - 1 }
      : { line: part.line + line - 1, column }
  })
}

/**
 * Splits a WXR text stream into its items; everything outside them goes to `outside`. Throws a
 * SourceError at the export's end when it ends inside an item, a CDATA section or a comment.
 */
export async function* scanItems(
  chunks: AsyncIterable<string>,
  outside: Outside,
  file: string,
): AsyncGenerator<ItemText> {
  let buffer = ''
  // Line and column of buffer[0] in the whole export.
  let line = 1
  let column = 1
  let itemStart = -1
  let itemLine = 0
  let itemColumn = 0
  let at = 0
  const advance = (upTo: number) => {
    // Moves the position over buffer[0, upTo) and drops it.
    let from = 0
    for (let i = buffer.indexOf('\n'); i !== -1 && i < upTo; i = buffer.indexOf('\n', i + 1)) {
      line += 1
      column = 1
      from = i + 1
    }
    column += upTo - from
    buffer = buffer.slice(upTo)
  }
  const positionAt = (offset: number) => {
    let l = line
    let c = column
    for (let i = 0; i < offset; i++) {
      if (buffer.charCodeAt(i) === 10) {
        l += 1
        c = 1
      } else c += 1
    }
    return { line: l, column: c }
  }
  const keep = (upTo: number) => {
    outside.runs.push({ at: outside.text.length, line, column })
    outside.text += own(buffer.slice(0, upTo))
  }
  let pending: { what: string; line: number; column: number } | undefined
  for await (const chunk of chunks) {
    buffer += chunk
    for (;;) {
      TOKEN.lastIndex = at
      const match = TOKEN.exec(buffer)
      if (!match) {
        // Keep a tail that may be the start of a token cut by the chunk's end.
        at = Math.max(at, buffer.length - 9)
        break
      }
      const token = match[0]
      const start = match.index
      if (token === '<![CDATA[' || token === '<!--') {
        const close = buffer.indexOf(token === '<!--' ? '-->' : ']]>', start + token.length)
        if (close === -1) {
          pending = {
            what: token === '<!--' ? 'a comment' : 'a CDATA section',
            ...positionAt(start),
          }
          at = start
          break
        }
        pending = undefined
        at = close + 3
        continue
      }
      if (token.startsWith('<item')) {
        if (itemStart !== -1) {
          at = start + token.length
          continue
        }
        keep(start)
        const { line: l, column: c } = positionAt(start)
        advance(start)
        itemStart = 0
        itemLine = l
        itemColumn = c
        at = token.length
        continue
      }
      // </item>
      if (itemStart === -1) {
        at = start + token.length
        continue
      }
      const end = start + token.length
      const xml = buffer.slice(0, end)
      advance(end)
      itemStart = -1
      at = 0
      yield { xml, line: itemLine, column: itemColumn }
    }
    if (itemStart === -1 && !pending && at > 0) {
      // Outside any item, nothing open: what was scanned is channel text.
      keep(at)
      advance(at)
      at = 0
    }
  }
  const open =
    pending ??
    (itemStart !== -1 ? { what: '<item>', line: itemLine, column: itemColumn } : undefined)
  if (open) {
    const end = positionAt(buffer.length)
    throw new SourceError(
      `${file}:${end.line}:${end.column}`,
      `the document ends inside ${open.what} opened at ${open.line}:${open.column}: it is cut short`,
    )
  }
  keep(buffer.length)
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
  isArray: (name) =>
    [
      'category',
      'wp:postmeta',
      'wp:comment',
      'wp:author',
      'wp:category',
      'wp:tag',
      'wp:term',
    ].includes(name),
})

type Node = Record<string, unknown>

/** The text of an element (CDATA and text parts joined), trimmed. */
function text(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (typeof value === 'string' || typeof value === 'number') return String(value).trim()
  if (Array.isArray(value)) return value.map(text).join('')
  const node = value as Node
  return text(node['#text'] ?? '')
}

function rawText(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (typeof value === 'string' || typeof value === 'number') return String(value)
  return rawText((value as Node)['#text'] ?? '')
}

// WXR dates are "YYYY-MM-DD HH:MM:SS"; the GMT one is "0000-00-00 00:00:00" when unset.
function wxrDate(value: string, offset: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(value.trim())
  if (!match || match[1] === '0000') return undefined
  const iso = `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}${offset === '+00:00' ? 'Z' : offset}`
  const time = Date.parse(iso)
  return Number.isNaN(time) ? undefined : new Date(time).toISOString()
}

function postmeta(item: Node): Map<string, string> {
  const meta = new Map<string, string>()
  for (const entry of (item['wp:postmeta'] as Node[] | undefined) ?? [])
    meta.set(text(entry['wp:meta_key']), rawText(entry['wp:meta_value']))
  return meta
}

// `_wp_attachment_metadata` is a serialized PHP array; its first width and height are the
// original file's.
function dimensions(serialized: string | undefined): { width?: number; height?: number } {
  const width = /s:5:"width";i:(\d+);/.exec(serialized ?? '')?.[1]
  const height = /s:6:"height";i:(\d+);/.exec(serialized ?? '')?.[1]
  return {
    ...(width ? { width: Number(width) } : {}),
    ...(height ? { height: Number(height) } : {}),
  }
}

// WordPress keeps a post's podcast enclosures in `enclosure` meta: "URL\nlength\ntype\n…"
// (wp-includes/functions.php, do_enclose), one meta entry per file.
function enclosures(item: Node): SourceAttachment[] {
  const found: SourceAttachment[] = []
  for (const entry of (item['wp:postmeta'] as Node[] | undefined) ?? []) {
    if (text(entry['wp:meta_key']) !== 'enclosure') continue
    const [url = '', length = '', type = ''] = rawText(entry['wp:meta_value']).split(/\r?\n/)
    const mime = type.trim().split(/[;\s]/)[0] ?? ''
    const size = Number(length.trim())
    if (!/^https?:\/\//i.test(url.trim()) || !/^(?:audio|video)\//.test(mime)) continue
    if (found.some((a) => a.url === url.trim())) continue
    found.push({
      url: url.trim(),
      type: mime,
      ...(Number.isInteger(size) && size > 0 ? { length: size } : {}),
    })
  }
  return found
}

const CREDIT = /^(?:photo|image|picture|credit|photograph)(?:\s+by)?\s*:\s*(.+)$/i

interface Attachment {
  image: SourceImage
}

const SKIPPED_TYPES: Record<string, string> = {
  page: 'a page (not an article)',
  attachment: 'an attachment (its file stays where it is)',
  nav_menu_item: 'a menu item',
  revision: 'a revision',
  wp_block: 'a reusable block',
  wp_template: 'a theme template',
  wp_template_part: 'a theme template',
  wp_navigation: 'a navigation menu',
  wp_global_styles: 'theme styles',
  custom_css: 'theme styles',
  customize_changeset: 'theme settings',
  oembed_cache: 'an embed cache entry',
  user_request: 'a privacy request',
}

const SKIPPED_STATUSES: Record<string, string> = {
  draft: 'a draft',
  pending: 'pending review',
  private: 'private',
  trash: 'in the trash',
  'auto-draft': 'an automatic draft',
  inherit: 'a revision',
}

/** Options of a WXR read: the site's UTC offset, for posts whose GMT date is unset. */
export interface WxrOptions {
  offset: string
  onBytes?: (count: number) => void
}

/** Reads a WXR stream to the end. */
export async function readWxr(
  chunks: AsyncIterable<string>,
  file: string,
  options: WxrOptions,
): Promise<SourceRead> {
  const read = emptyRead()
  const attachments = new Map<string, Attachment>()
  const posts: { item: SourceItem; thumbnail?: string }[] = []
  const outside = emptyOutside()
  for await (const part of scanItems(chunks, outside, file)) {
    const problems = itemProblems(part, file)
    if (problems.length > 0) {
      read.problems.push(...problems)
      continue
    }
    const item = (parser.parse(part.xml) as { item: Node }).item
    read.comments += ((item['wp:comment'] as unknown[] | undefined) ?? []).length
    const type = text(item['wp:post_type']) || 'post'
    const id = text(item['wp:post_id'])
    const meta = postmeta(item)
    if (type === 'attachment') {
      const url = text(item['wp:attachment_url']) || text(item.guid)
      const caption = plainText(rawText(item['excerpt:encoded']))
      const credit = CREDIT.exec(caption)?.[1]
      const mime = text(item['wp:post_mime_type'])
      if (id && url)
        attachments.set(id, {
          image: detached({
            url,
            ...(meta.get('_wp_attachment_image_alt')
              ? { alt: plainText(meta.get('_wp_attachment_image_alt') as string) }
              : {}),
            ...(caption && !credit ? { caption } : {}),
            ...(credit ? { credit: credit.trim() } : {}),
            ...(mime.startsWith('image/') ? { type: mime } : {}),
            ...dimensions(meta.get('_wp_attachment_metadata')),
          }),
        })
    }
    if (type !== 'post') {
      skip(read, SKIPPED_TYPES[type] ?? `a "${type}" post type`)
      continue
    }
    const status = text(item['wp:status'])
    if (status !== 'publish' && status !== 'future') {
      skip(read, SKIPPED_STATUSES[status] ?? `status "${status}"`)
      continue
    }
    if (text(item['wp:post_password'])) {
      skip(read, 'password-protected')
      continue
    }
    const where = `${file}:${part.line}:${part.column}`
    if (skipBeyondBounds(read, where, rawText(item['content:encoded']))) continue
    let published = wxrDate(text(item['wp:post_date_gmt']), '+00:00')
    let dateNote: string | undefined
    if (!published) {
      published = wxrDate(text(item['wp:post_date']), options.offset)
      if (published) dateNote = `post_date_gmt unset: post_date read at UTC${options.offset}`
    }
    const modified = wxrDate(text(item['wp:post_modified_gmt']), '+00:00')
    const categories: SourceTerm[] = []
    const tags: SourceTerm[] = []
    for (const term of (item.category as Node[] | undefined) ?? []) {
      const entry = {
        name: plainText(rawText(term)),
        ...(term['@nicename'] ? { slug: decodeSlug(String(term['@nicename'])) } : {}),
      }
      if (term['@domain'] === 'category') categories.push(entry)
      else if (term['@domain'] === 'post_tag') tags.push(entry)
    }
    const guid = text(item.guid)
    const login = text(item['dc:creator'])
    const slug = text(item['wp:post_name'])
    posts.push({
      item: keptItem({
        where,
        ...(guid ? { guid } : {}),
        title: plainText(rawText(item.title)),
        ...(text(item.link) ? { link: text(item.link) } : {}),
        ...(slug ? { slug: decodeSlug(slug) } : {}),
        // Converted now, so that only the Markdown stays in memory.
        ...converted(
          rawText(item['content:encoded']),
          rawText(item['excerpt:encoded']).trim() || undefined,
          true,
          read.notes,
        ),
        ...(published ? { published } : {}),
        ...(modified ? { modified } : {}),
        ...(dateNote ? { dateNote } : {}),
        ...(login ? { author: { login, name: login } } : {}),
        categories,
        tags,
        ...(id ? { postId: id } : {}),
        ...(enclosures(item).length > 0 ? { attachments: enclosures(item) } : {}),
      }),
      ...(meta.get('_thumbnail_id') ? { thumbnail: meta.get('_thumbnail_id') as string } : {}),
    })
  }
  const channel = readChannel(outside, file, read)
  const authors = new Map(channel.authors.map((author) => [author.login, author]))
  read.authors = channel.authors
  read.categories = channel.categories
  read.title = channel.title
  read.link = channel.link
  read.description = channel.description
  read.language = channel.language
  read.wordpress = { base: channel.base }
  const categoriesBySlug = new Map(channel.categories.map((c) => [c.slug, c]))
  for (const { item, thumbnail } of posts) {
    if (item.author?.login) item.author = authors.get(item.author.login) ?? item.author
    item.categories = item.categories.map((c) => (c.slug && categoriesBySlug.get(c.slug)) || c)
    const image = thumbnail ? attachments.get(thumbnail)?.image : undefined
    if (image) item.image = image
    read.items.push(item)
  }
  return read
}

/** The channel's title, link, base URL, authors and categories (tags come with each post). */
function readChannel(
  outside: Outside,
  file: string,
  read: SourceRead,
): {
  title?: string
  link?: string
  description?: string
  language?: string
  base: string
  authors: SourceAuthor[]
  categories: SourceTerm[]
} {
  // The outside text is the export without its items: an <rss><channel>… whose tail is there.
  const problems = documentProblems(outside.text, file, (offset) => locateOutside(outside, offset))
  if (problems.length > 0) {
    read.problems.push(...problems)
    return { base: '', authors: [], categories: [] }
  }
  const doc = parser.parse(outside.text) as { rss?: { channel?: Node } }
  const channel = doc.rss?.channel
  if (!channel || !text(channel['wp:wxr_version'])) {
    read.problems.push({
      where: file,
      message: 'is not a WordPress export: no <rss><channel> with a wp:wxr_version',
    })
    return { base: '', authors: [], categories: [] }
  }
  const authors = ((channel['wp:author'] as Node[] | undefined) ?? []).map(
    (author): SourceAuthor => {
      const login = text(author['wp:author_login'])
      const first = plainText(rawText(author['wp:author_first_name']))
      const last = plainText(rawText(author['wp:author_last_name']))
      const name =
        plainText(rawText(author['wp:author_display_name'])) || `${first} ${last}`.trim() || login
      // The e-mail address (wp:author_email) is never carried over.
      return { login, name }
    },
  )
  const categories = ((channel['wp:category'] as Node[] | undefined) ?? []).map(
    (category): SourceTerm => {
      const slug = decodeSlug(text(category['wp:category_nicename']))
      const description = plainText(rawText(category['wp:category_description']))
      return {
        slug,
        name: plainText(rawText(category['wp:cat_name'])) || slug,
        ...(description ? { description } : {}),
        ...(text(category['wp:term_id']) ? { id: text(category['wp:term_id']) } : {}),
        ...(text(category['wp:category_parent'])
          ? { path: decodeSlug(text(category['wp:category_parent'])) }
          : {}),
      }
    },
  )
  // Nested categories: the old URL is /category/parent/child/; `path` holds the parent's slug
  // until here, then the whole path.
  const bySlug = new Map(categories.map((c) => [c.slug, c]))
  const pathOf = (category: SourceTerm, depth = 0): string => {
    const parent = category.path ? bySlug.get(category.path) : undefined
    return parent && depth < 10
      ? `${pathOf(parent, depth + 1)}/${category.slug}`
      : (category.slug as string)
  }
  const paths = categories.map((category) => pathOf(category))
  categories.forEach((category, index) => {
    category.path = paths[index] as string
  })
  const base =
    text(channel['wp:base_blog_url']) || text(channel['wp:base_site_url']) || text(channel.link)
  const title = plainText(rawText(channel.title))
  const description = plainText(rawText(channel.description))
  const language = text(channel.language)
  return {
    ...(title ? { title } : {}),
    ...(description ? { description } : {}),
    ...(language ? { language } : {}),
    ...(text(channel.link) ? { link: text(channel.link) } : {}),
    base,
    authors,
    categories,
  }
}
