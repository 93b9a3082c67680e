/**
 * An article body from another CMS (HTML, as WordPress stores or a feed carries it) into the
 * Markdown of content/articles: through the unified toolchain the build uses (HTML → hast →
 * mdast → Markdown), keeping as HTML what Markdown cannot say (figures, tables with merged
 * cells, media), and removing what only the old CMS understood (block comments, shortcodes).
 */
import type { Element, Root as HastRoot, RootContent } from 'hast'
import { toHtml } from 'hast-util-to-html'
import { defaultHandlers } from 'hast-util-to-mdast'
import rehypeParse from 'rehype-parse'
import rehypeRemark from 'rehype-remark'
import remarkGfm from 'remark-gfm'
import remarkStringify from 'remark-stringify'
import { unified } from 'unified'
import { BodyLimitError } from '../content/bounds'
import { checkHtmlBounds } from '../content/bounds-html'

/** What the conversion noticed, for the report. */
export interface BodyNotes {
  /** Shortcodes by name: converted (caption, embed, audio, video) or removed (gallery, …). */
  shortcodes: Map<string, number>
  /** Embedded frames (video players) turned into links: the sanitiser would drop them. */
  frames: number
  /** Tracking links, 1×1 images and feedflare blocks removed (FeedBurner, Pheedo). */
  trackers: number
}

/** Notes with nothing noted yet. */
export function emptyNotes(): BodyNotes {
  return { shortcodes: new Map(), frames: 0, trackers: 0 }
}

const escapeAttribute = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')

function attribute(attributes: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s\\]]+))`, 'i').exec(
    attributes,
  )
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined
}

// WordPress's own shortcodes (wp-includes/media.php, shortcodes.php). Any other bracketed text
// is left as text, as WordPress itself leaves a shortcode no plugin registers.
const ENCLOSING = /\[(caption|wp_caption|embed)([^\]]*)\]([\s\S]*?)\[\/\1\]/gi
const SELF_CLOSING = /\[(gallery|playlist|audio|video)(\s[^\]]*)?\](?:\s*\[\/\1\])?/gi

function shortcodes(html: string, notes: BodyNotes): string {
  const count = (name: string) => notes.shortcodes.set(name, (notes.shortcodes.get(name) ?? 0) + 1)
  return html
    .replace(ENCLOSING, (_, name: string, attributes: string, inner: string) => {
      const kind = name.toLowerCase()
      count(kind)
      if (kind === 'embed') {
        const url = inner.trim()
        return `<p><a href="${escapeAttribute(url)}">${url}</a></p>`
      }
      // [caption]<img …> The caption text[/caption]: the image, then what follows it.
      const image = /^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*<\/a>)?)([\s\S]*)$/i.exec(inner)
      // The caption follows the image (classic editor), or is an attribute (`caption="…"`).
      const caption = image?.[2]?.trim() || attribute(attributes, 'caption')?.trim() || ''
      return image
        ? `<figure>${image[1]}${caption ? `<figcaption>${caption}</figcaption>` : ''}</figure>`
        : inner
    })
    .replace(SELF_CLOSING, (_, name: string, attributes = '') => {
      const kind = name.toLowerCase()
      count(kind)
      const source =
        attribute(attributes, 'src') ?? attribute(attributes, 'mp4') ?? attribute(attributes, 'mp3')
      return source ? `<p><a href="${escapeAttribute(source)}">${source}</a></p>` : ''
    })
}

// Gutenberg keeps each block's settings in an HTML comment around it (`<!-- wp:image {…} -->`).
const BLOCK_COMMENT = /<!--\s*\/?wp:[\s\S]*?-->/g
const BLOCK_TAG =
  /^<(?:p|div|h[1-6]|ul|ol|li|table|thead|tbody|tr|td|th|blockquote|figure|pre|hr|address|section|article|aside|dl|dd|dt|iframe|video|audio|form|details)\b/i

/**
 * WordPress's wpautop, as far as stored classic-editor posts need it: paragraphs are blank
 * lines in the stored text, and a single newline inside one is a line break.
 */
function autop(html: string): string {
  if (/<(?:p|div)\b/i.test(html)) return html
  return html
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((chunk) => chunk.trim())
    .filter((chunk) => chunk !== '')
    .map((chunk) => (BLOCK_TAG.test(chunk) ? chunk : `<p>${chunk.replace(/\n/g, '<br>\n')}</p>`))
    .join('\n')
}

// The conversion recurses once per element: a body nested past the build's limit would
// overflow the stack here, so it is refused first (the readers skip such an item before).
function refuseBeyondBounds(html: string): void {
  const excess = checkHtmlBounds(html)
  if (excess) throw new BodyLimitError(excess)
}

/** The HTML an article body starts from: block comments and shortcodes gone, paragraphs made. */
export function cleanWordPressHtml(html: string, notes: BodyNotes): string {
  refuseBeyondBounds(html)
  const gutenberg = BLOCK_COMMENT.test(html)
  BLOCK_COMMENT.lastIndex = 0
  const stripped = shortcodes(html.replace(BLOCK_COMMENT, ''), notes)
  return gutenberg ? stripped : autop(stripped)
}

// Elements Markdown has no syntax for, kept as HTML (the build's sanitiser decides the rest).
const KEPT_AS_HTML = new Set([
  'figure',
  'video',
  'audio',
  'picture',
  'sup',
  'sub',
  'u',
  'mark',
  'small',
  'abbr',
  'details',
  'dl',
  'cite',
  'time',
])

function spansCells(table: Element): boolean {
  let found = false
  const visit = (node: Element) => {
    if (
      (node.tagName === 'td' || node.tagName === 'th') &&
      (node.properties.colSpan || node.properties.rowSpan)
    )
      found = true
    for (const child of node.children) if (child.type === 'element') visit(child)
  }
  visit(table)
  return found
}

// A frame (YouTube, a map) is dropped by the sanitiser: what stays is a link to what it showed.
function frameLink(node: Element, notes: BodyNotes): RootContent | undefined {
  const source = String(node.properties.src ?? '')
  if (!/^https?:\/\//i.test(source)) return undefined
  notes.frames += 1
  const title = String(node.properties.title ?? '') || source
  return {
    type: 'element',
    tagName: 'p',
    properties: {},
    children: [
      {
        type: 'element',
        tagName: 'a',
        properties: { href: source },
        children: [{ type: 'text', value: title }],
      },
    ],
  }
}

// What feed proxies added to bodies to count readers and show ads, never the publisher's words:
// FeedBurner's redirects (feedproxy.google.com/~r/, feeds.feedburner.com/~r/), flares (~ff/),
// ads (~a/, feedads.g.doubleclick.net), WordPress.com's share buttons, Pheedo's click links.
const TRACKER =
  /^https?:\/\/(?:feeds\.feedburner\.com\/~[a-z]+\/|feedproxy\.google\.com\/~[a-z]+\/|feedads\.g\.doubleclick\.net\/|feeds\.wordpress\.com\/1\.0\/|(?:[a-z0-9-]+\.)*pheedo\.com\/)/i
// A redirect to the article itself: the link's words stay, unlinked.
const REDIRECT = /^https?:\/\/(?:feedproxy\.google\.com|feeds\.feedburner\.com)\/~r\//i

const hasText = (node: Element): boolean =>
  node.children.some((c) =>
    c.type === 'text' ? c.value.trim() !== '' : c.type === 'element' && hasText(c),
  )

/** What an element becomes when it is a tracker: nothing, its words alone, or itself. */
function untracked(node: Element, notes: BodyNotes): RootContent[] | undefined {
  const classes = node.properties.className
  const flare = Array.isArray(classes) && classes.includes('feedflare')
  const pixel =
    node.tagName === 'img' &&
    (TRACKER.test(String(node.properties.src ?? '')) ||
      (String(node.properties.width) === '1' && String(node.properties.height) === '1'))
  const link = node.tagName === 'a' && TRACKER.test(String(node.properties.href ?? ''))
  if (!flare && !pixel && !link) return undefined
  notes.trackers += 1
  if (link && REDIRECT.test(String(node.properties.href)) && hasText(node)) return node.children
  return []
}

const BLOCKS = new Set([
  'p',
  'div',
  'ul',
  'ol',
  'li',
  'blockquote',
  'pre',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
])

/**
 * A Markdown table cell holds one line: blocks inside a cell (`<td><p>a</p><p>b</p></td>`)
 * would run together (`ab`), so a line break follows each: a GFM table cell writes it as a space
 * (whitespace text alone would be collapsed away before it got there).
 */
function separateBlocks(cell: Element): void {
  cell.children = cell.children.flatMap((child): Element['children'] =>
    child.type === 'element' && BLOCKS.has(child.tagName)
      ? [child, { type: 'element', tagName: 'br', properties: {}, children: [] }]
      : [child],
  )
}

function prepare(tree: HastRoot, notes: BodyNotes): void {
  const walk = (parent: HastRoot | Element) => {
    parent.children = parent.children.flatMap((child): RootContent[] => {
      if (child.type === 'comment') return []
      if (child.type !== 'element') return [child]
      const kept = untracked(child, notes)
      if (kept) {
        const holder: Element = { ...child, children: kept as Element['children'] }
        walk(holder)
        return holder.children
      }
      if (child.tagName === 'iframe' || child.tagName === 'embed' || child.tagName === 'object') {
        const link = frameLink(child, notes)
        return link ? [link] : []
      }
      walk(child)
      if (child.tagName === 'td' || child.tagName === 'th') separateBlocks(child)
      return [child]
    })
  }
  walk(tree)
}

const rawHtml = (_state: unknown, node: Element) => ({ type: 'html' as const, value: toHtml(node) })

/** HTML of a body (already cleaned) as Markdown, ending with one newline. */
export function htmlToMarkdown(html: string, notes: BodyNotes = emptyNotes()): string {
  refuseBeyondBounds(html)
  const handlers: Record<string, (state: unknown, node: Element) => unknown> = {}
  for (const name of KEPT_AS_HTML) handlers[name] = rawHtml
  const processor = unified()
    .use(rehypeParse, { fragment: true })
    .use(() => (tree: HastRoot) => prepare(tree, notes))
    .use(rehypeRemark, {
      handlers: {
        ...handlers,
        table: (state: unknown, node: Element) =>
          spansCells(node)
            ? rawHtml(state, node)
            : (defaultHandlers.table as (s: unknown, n: Element) => unknown)(state, node),
      } as never,
    })
    .use(remarkGfm)
    .use(remarkStringify, {
      bullet: '-',
      emphasis: '_',
      fences: true,
      rule: '-',
      listItemIndent: 'one',
    })
  const markdown = String(processor.processSync(html)).trim()
  return markdown === '' ? '' : `${markdown}\n`
}
