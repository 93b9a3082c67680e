/**
 * Hostile article bodies by family, at any size: each family's construct as deep or as long
 * as BODY_LIMITS lets through (`atLimit`), repeated until the body has the size asked for, and
 * the same construct unbounded (`beyond`), the way the review sent it to the publish API.
 */
import { BODY_LIMITS } from '../src/content/bounds'

/** One family of hostile input. */
export interface AdversarialFamily {
  name: string
  /** Markdown, or HTML for the families the HTML path parses. */
  format: 'markdown' | 'html'
  /** A body of about `bytes` whose every construct sits at its limit: accepted, rendered. */
  atLimit(bytes: number): string
  /** A body of `bytes` that is the construct alone, far beyond its limit: refused. */
  beyond(bytes: number): string
  /** The start of the message `beyond` is refused with. */
  refusal: string
}

// `unit` repeated to at least `bytes`, each copy its own block.
const tile = (unit: string, bytes: number) =>
  unit.repeat(Math.max(1, Math.ceil(bytes / unit.length)))
// `unit` repeated to exactly `bytes` characters (units are ASCII).
const fill = (unit: string, bytes: number) =>
  unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes)

const { quoteDepth, listDepth, htmlDepth, tableColumns, emphasisDelimiters, bracketDepth } =
  BODY_LIMITS

function table(columns: number, rows: number): string {
  const row = `${'| a '.repeat(columns)}|\n`
  return `${row}${'|---'.repeat(columns)}|\n${row.repeat(rows)}`
}

/** Ordinary prose of the same sizes, the peer each family's times are read against. */
export const PROSE_FAMILY: AdversarialFamily = {
  name: 'prose (peer)',
  format: 'markdown',
  atLimit: (bytes) =>
    tile(
      'A paragraph of news with *a stress*, a [link](/a) and `code`, as articles have.\n\n',
      bytes,
    ),
  beyond: (bytes) => fill('x', bytes),
  refusal: '',
}

/** Every family the review named: nesting, lists, emphasis runs, brackets, wide tables, HTML. */
export const ADVERSARIAL_FAMILIES: readonly AdversarialFamily[] = [
  {
    name: 'quotes > > >',
    format: 'markdown',
    atLimit: (bytes) => tile(`${'>'.repeat(quoteDepth)} a\n\n`, bytes),
    beyond: (bytes) => fill('>', bytes),
    refusal: 'nests blockquotes',
  },
  {
    name: 'lists - - -',
    format: 'markdown',
    atLimit: (bytes) => tile(`${'- '.repeat(listDepth)}a\n\n`, bytes),
    beyond: (bytes) => `${fill('- ', bytes - 1)}a`,
    refusal: 'nests lists',
  },
  {
    name: 'indented lists',
    format: 'markdown',
    atLimit: (bytes) =>
      tile(
        `${Array.from({ length: listDepth }, (_, i) => `${'  '.repeat(i)}- a`).join('\n')}\n\n`,
        bytes,
      ),
    beyond: (bytes) => {
      const depth = Math.floor(Math.sqrt(bytes))
      return Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}- a`).join('\n')
    },
    refusal: 'nests lists',
  },
  {
    name: 'divs <div> in Markdown',
    format: 'markdown',
    atLimit: (bytes) =>
      tile(`${'<div>'.repeat(htmlDepth)}a${'</div>'.repeat(htmlDepth)}\n\n`, bytes),
    beyond: (bytes) => fill('<div>', bytes),
    refusal: 'nests HTML elements',
  },
  {
    name: 'divs <div> as HTML',
    format: 'html',
    atLimit: (bytes) => tile(`${'<div>'.repeat(htmlDepth)}a${'</div>'.repeat(htmlDepth)}`, bytes),
    beyond: (bytes) => fill('<div>', bytes),
    refusal: 'nests HTML elements',
  },
  {
    name: 'emphasis **_',
    format: 'markdown',
    atLimit: (bytes) => tile(`${'**_'.repeat(emphasisDelimiters / 2)}\n\n`, bytes),
    beyond: (bytes) => fill('**_', bytes),
    refusal: 'has a paragraph with',
  },
  {
    name: 'unclosed *a **b',
    format: 'markdown',
    atLimit: (bytes) => tile(`${'*a **b '.repeat(emphasisDelimiters / 2)}\n\n`, bytes),
    beyond: (bytes) => fill('*a **b ', bytes),
    refusal: 'has a paragraph with',
  },
  {
    name: 'links [[[[',
    format: 'markdown',
    atLimit: (bytes) => tile(`${'['.repeat(bracketDepth)}a\n\n`, bytes),
    beyond: (bytes) => fill('[', bytes),
    refusal: 'opens',
  },
  {
    name: 'wide table',
    format: 'markdown',
    atLimit: (bytes) => `${table(tableColumns, Math.ceil(bytes / (tableColumns * 4 + 2)))}`,
    beyond: (bytes) => table(Math.floor(bytes / 8), 0),
    refusal: 'has a table row',
  },
]
