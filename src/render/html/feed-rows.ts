import { escapeAttr } from '../escape'
import type { FeedFormat } from '../formats'
import type { FeedLinks } from './layout'
import { type SafeHtml, trusted } from './template'

/** A feed in a table (the index page, the lists), with how many articles it holds. */
export interface FeedEntry extends FeedLinks {
  count: number
}

/**
 * What a feed row prints of its feed, each value escaped for an attribute (and so for text):
 * its page's path from the root, its name, its article count, its fediverse handle ('' for
 * none). A feed's file links are its page's path and the file's name.
 */
export interface FeedRowValues {
  path: string
  name: string
  count: string
  handle: string
}

/** A row's value by name. */
export type FeedRowHole = keyof FeedRowValues

/**
 * A feed row's markup around its values, the same for every feed with the same formats and
 * handle or none: `text[0]`, the value named `holes[0]`, `text[1]`, … `text[holes.length]`.
 */
export interface FeedRowTemplate {
  text: readonly string[]
  holes: readonly FeedRowHole[]
}

// The row as pieces: markup, and a value's name where the value goes (no piece of markup is
// only a value's name: each holds a bracket or a quote).
function rowPieces(formats: readonly FeedFormat[], handle: boolean): (string | FeedRowHole)[] {
  const first = escapeAttr(formats[0]?.label ?? '')
  return [
    '<tr><th scope="row"><a href="',
    'path',
    '">',
    'name',
    '</a></th><td class="count">',
    'count',
    '</td><td class="formats">',
    ...formats.flatMap((format) => [
      '<a href="',
      'path' as const,
      `${escapeAttr(format.file)}" type="${escapeAttr(format.mediaType)}" aria-label="${escapeAttr(format.label)} feed of `,
      'name' as const,
      `">${escapeAttr(format.label)}</a> `,
    ]),
    `<button type="button" class="copy" aria-label="Copy ${first} address of `,
    'name',
    `">Copy ${first}</button>`,
    // The feed's fediverse handle, when it federates, copied by the same script (site.js).
    ...(handle
      ? [
          ' <button type="button" class="copy" data-copy="',
          'handle' as const,
          '" aria-label="Copy handle: follow ',
          'name' as const,
          ' from the fediverse" title="',
          'handle' as const,
          '">Copy handle</button>',
        ]
      : []),
    '</td></tr>\n',
  ]
}

const HOLES: ReadonlySet<string> = new Set<FeedRowHole>(['path', 'name', 'count', 'handle'])
const templates = new Map<string, FeedRowTemplate>()

/**
 * The template of a feed row (one per set of formats, with or without a handle): its page, its
 * article count, its files and a copy button. Lists print hundreds of rows, so links go from
 * the root and carry no origin; the button copies its row's first feed link as the browser
 * resolves it (public/assets/site.js), an absolute URL.
 */
export function feedRowTemplate(formats: readonly FeedFormat[], handle: boolean): FeedRowTemplate {
  const key = `${formats.map((format) => format.name).join(' ')}${handle ? ' @' : ''}`
  let template = templates.get(key)
  if (!template) {
    const text = ['']
    const holes: FeedRowHole[] = []
    for (const piece of rowPieces(formats, handle)) {
      if (HOLES.has(piece)) {
        holes.push(piece as FeedRowHole)
        text.push('')
      } else text[text.length - 1] += piece
    }
    template = { text, holes }
    templates.set(key, template)
  }
  return template
}

/** Our own absolute URL as a path from the root: the same link, without the origin's bytes. */
function rootPath(url: string): string {
  return url.replace(/^https?:\/\/[^/]+/, '')
}

/** How a row says how many articles a feed holds. */
export function articleCount(count: number): string {
  return `${count} ${count === 1 ? 'article' : 'articles'}`
}

/**
 * A feed's values for its row, escaped once (a name appears five times in it). The file links
 * are the page's path and the file name: `feedLinks` makes every file URL so.
 */
export function feedRowValues(entry: FeedEntry): FeedRowValues {
  return {
    path: escapeAttr(rootPath(entry.pageUrl)),
    name: escapeAttr(entry.feed.name),
    count: articleCount(entry.count),
    handle: entry.handle ? escapeAttr(entry.handle) : '',
  }
}

/** A template filled with a feed's values. */
function fillFeedRow(template: FeedRowTemplate, values: FeedRowValues): string {
  let row = template.text[0] as string
  template.holes.forEach((hole, index) => {
    row += values[hole] + (template.text[index + 1] as string)
  })
  return row
}

/** One feed as a table row (`feedRowTemplate`). */
export function renderFeedRow(entry: FeedEntry): SafeHtml {
  const template = feedRowTemplate(
    entry.files.map((file) => file.format),
    Boolean(entry.handle),
  )
  return trusted(fillFeedRow(template, feedRowValues(entry)))
}
