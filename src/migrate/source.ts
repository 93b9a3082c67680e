import { deflateRawSync, inflateRawSync } from 'node:zlib'
import { checkHtmlBounds } from '../content/bounds-html'
import { type BodyNotes, cleanWordPressHtml, emptyNotes, htmlToMarkdown } from './html'

/**
 * What `npm run migrate` reads from a source, whatever its format: the items readers saw, the
 * people and categories behind them, and what was left out and why.
 */

/** Where in a source something is: `export.xml:1284:17`, or a URL and an item number. */
export type Where = string

export interface SourceAuthor {
  /** What the old site's URLs used (`/author/{login}/`), when it says. */
  login?: string
  name: string
  url?: string
  bio?: string
}

export interface SourceTerm {
  /** The old site's slug (`/category/{slug}/`), decoded. */
  slug?: string
  name: string
  description?: string
  /** The old slug path of a nested category (`parent/child`), for its old URL. */
  path?: string
  /** WordPress's numeric id (`?cat=7`). */
  id?: string
}

export interface SourceImage {
  url: string
  alt?: string
  caption?: string
  credit?: string
  width?: number
  height?: number
  type?: string
}

/** A file an item carried for readers to play (an audio or video enclosure). */
export interface SourceAttachment {
  /** Absolute http(s) URL. */
  url: string
  /** Its MIME type (`audio/mpeg`). */
  type: string
  /** Its size in bytes, when the source gives a real one. */
  length?: number
  /** How long it plays, in whole seconds, when the source says. */
  duration?: number
  title?: string
}

/** An item readers saw, as the source gives it. */
export interface SourceItem {
  where: Where
  /** Its GUID (RSS guid, Atom id, JSON id, WXR guid), verbatim; absent when it has none. */
  guid?: string
  /** Its headline; empty when the source gives none (WordPress lets a post go untitled). */
  title: string
  /** Its permalink on the old site. */
  link?: string
  /** The slug the old site gave it (WXR post_name, decoded). */
  slug?: string
  /** The body, as Markdown (converted as the item is read: the HTML is not kept). */
  body: PackedText
  /** A summary as plain text (WXR excerpt, a feed's summary beside its full content). */
  summary?: string
  /** ISO instants; `published` absent is a problem the conversion reports. */
  published?: string
  modified?: string
  /** How its date was read, when it was not a plain UTC date (reported). */
  dateNote?: string
  author?: SourceAuthor
  categories: SourceTerm[]
  tags: SourceTerm[]
  image?: SourceImage
  /** Audio and video it carried, each distinct URL once. */
  attachments?: SourceAttachment[]
  /** WordPress's post id (`/?p=123`). */
  postId?: string
}

/** Something wrong in a source, and where: printed as `where: message`, one line. */
export interface Problem {
  where: Where
  message: string
}

/**
 * A source that cannot be read on: its bytes, its document's shape, or the way to it. Each of
 * its problems is one line; the command prints them, never a stack trace.
 */
export class SourceError extends Error {
  readonly problems: Problem[]
  constructor(where: Where, message: string) {
    super(`${where}: ${message}`)
    this.name = 'SourceError'
    this.problems = [{ where, message }]
  }
}

/** A source read to the end: its items, who and what it knows of, what it skipped. */
export interface SourceRead {
  /** What the source calls itself (site title), and its address. */
  title?: string | undefined
  link?: string | undefined
  /** What the source says of itself, for a fresh site.yaml. */
  description?: string | undefined
  language?: string | undefined
  copyright?: string | undefined
  items: SourceItem[]
  authors: SourceAuthor[]
  categories: SourceTerm[]
  /** Why items were left out, and how many of each. */
  skipped: Map<string, number>
  /** Comments the source held (never imported). */
  comments: number
  problems: Problem[]
  /**
   * What was read but not all of it: pages not followed or not reachable, a declaration that
   * was out of place. Printed, and the migration goes on.
   */
  warnings: Problem[]
  /** What converting the bodies met: shortcodes, embedded frames. */
  notes: BodyNotes
  /** WordPress only: the old site's address (its base path prefixes every old URL). */
  wordpress?: { base: string }
  /** A feed read from a URL: that URL and its format, whose old address then redirects. */
  feed?: { url: string; format: 'rss' | 'atom' | 'json' }
}

/** A read with nothing in it yet. */
export function emptyRead(): SourceRead {
  return {
    items: [],
    authors: [],
    categories: [],
    skipped: new Map(),
    comments: 0,
    problems: [],
    warnings: [],
    notes: emptyNotes(),
  }
}

/**
 * Text kept deflated until it is read: every item of a source stays in memory until the plan is
 * made, and their Markdown is a large export's bulk (79 MB of the 100 MB export in
 * bench/migrate.ts). With this and `detached`, that export's peak went from 883 MiB (first run)
 * and 1,023 MiB (rerun) to 450–600 MiB (bench/RESULTS.md).
 */
export class PackedText {
  readonly #bytes: Buffer
  constructor(text: string) {
    this.#bytes = deflateRawSync(Buffer.from(text, 'utf8'))
  }
  text(): string {
    return inflateRawSync(this.#bytes).toString('utf8')
  }
}

/**
 * A copy of `value` whose strings are its own. A string cut from a larger one (a title parsed
 * out of an item's XML, an id out of a file's text) can be a view that keeps the whole larger
 * string alive in V8; kept for every item of an archive, those add up to the archive itself.
 */
export function detached<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}

/** An item as it is kept until the plan is made: its strings its own, its body packed. */
export function keptItem(item: SourceItem): SourceItem {
  const { body, ...rest } = item
  return { ...detached(rest), body }
}

/** An item's body and summary from the HTML the source holds (WordPress's stored text or not). */
export function converted(
  html: string,
  excerpt: string | undefined,
  wordpress: boolean,
  notes: BodyNotes,
): { body: PackedText; summary?: string } {
  const clean = (text: string) => (wordpress ? cleanWordPressHtml(text, notes) : text)
  const summary = excerpt ? plainText(clean(excerpt)) : ''
  const body = new PackedText(htmlToMarkdown(clean(html), notes))
  return { body, ...(summary ? { summary } : {}) }
}

/**
 * Skips an item whose body passes the build's limits (BODY_LIMITS), reporting it with where it
 * is, so that the rest migrates; true when it was skipped.
 */
export function skipBeyondBounds(read: SourceRead, where: string, html: string): boolean {
  const excess = checkHtmlBounds(html)
  if (excess) skip(read, `a body beyond the limits at ${where}: ${excess}`)
  return excess !== undefined
}

export function skip(read: SourceRead, reason: string, count = 1): void {
  read.skipped.set(reason, (read.skipped.get(reason) ?? 0) + count)
}

/** Line and column (1-based) of `offset` in `text`. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1
  let last = -1
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line += 1
    last = i
  }
  return { line, column: offset - last }
}

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
}

/** Plain text of a title or summary that may carry markup and HTML entities. */
export function plainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
      if (name[0] === '#') {
        const code =
          name[1] === 'x' || name[1] === 'X'
            ? Number.parseInt(name.slice(2), 16)
            : Number(name.slice(1))
        return Number.isFinite(code) && code > 0 && code <= 0x10ffff
          ? String.fromCodePoint(code)
          : entity
      }
      return NAMED[name.toLowerCase()] ?? entity
    })
    .replace(/\s+/g, ' ')
    .trim()
}

/** A percent-encoded slug or path segment, decoded (WordPress stores non-ASCII slugs encoded). */
export function decodeSlug(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}
