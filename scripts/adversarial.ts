/**
 * Hostile article bodies by family, at any size: each family's construct as deep or as wide
 * as BODY_LIMITS lets through, repeated until the body has the size asked for, and padded with
 * plain words once more copies would pass the element budget (`atLimit`); the construct
 * unbounded (`beyond`), the way the review sent it to the publish API; and the construct at its
 * limit repeated without padding, past the element budget (`beyondBudget`).
 */
import { BODY_LIMITS } from '../src/content/bounds'
import { convertMarkdownToHtml } from '../src/content/markdown-html'

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
  /**
   * The construct at its limit, unpadded, to about `bytes`: refused for its elements from the
   * smallest size at which they pass BODY_LIMITS.elements, given here in bytes.
   */
  beyondBudget(bytes: number): string
  /** The size from which `beyondBudget` passes the element budget, or undefined past 1 MiB. */
  budgetFrom: number | undefined
}

/** How one family writes its construct: `words` go inside its deepest element. */
interface Construct {
  name: string
  format: 'markdown' | 'html'
  /** What comes once before the repeated units (a table's header). */
  head?: string
  unit(words: string): string
  beyond(bytes: number): string
  refusal: string
}

// `unit` repeated to exactly `bytes` characters (units are ASCII).
const fill = (unit: string, bytes: number) =>
  unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes)

// Plain words of `length` characters, with no character Markdown or HTML reads as markup.
const words = (length: number) => fill('word ', length)

// Elements the HTML parser is given, counted from the start tags markdown-it writes (or the
// HTML itself): the same oracle as the tests', independent of the bounds' own count.
function countElements(format: 'markdown' | 'html', body: string): number {
  const html = format === 'html' ? body : convertMarkdownToHtml(body)
  return html.match(/<[a-zA-Z]/g)?.length ?? 0
}

// Elements each further unit adds once a few are there (lists and tables continue).
function elementsPerUnit(construct: Construct, unit: string): { first: number; more: number } {
  const count = (n: number) =>
    countElements(construct.format, (construct.head ?? '') + unit.repeat(n))
  const more = count(3) - count(2)
  return { first: count(1) - more, more }
}

// As many units as fill `bytes`, or as many as the element budget takes, each then padded.
function writeAtLimit(construct: Construct, bytes: number): string {
  const head = construct.head ?? ''
  const bare = construct.unit('')
  const wanted = Math.max(1, Math.ceil((bytes - head.length) / bare.length))
  let unit = bare
  let units = wanted
  // Padding can change how a unit pairs its delimiters: measure the padded unit again.
  for (let round = 0; round < 2; round += 1) {
    const { first, more } = elementsPerUnit(construct, unit)
    units = Math.min(wanted, Math.floor((BODY_LIMITS.elements - first) / Math.max(1, more)))
    const pad = Math.max(0, Math.ceil((bytes - head.length) / units) - bare.length)
    unit = construct.unit(words(pad))
  }
  return head + unit.repeat(units)
}

function makeFamily(construct: Construct): AdversarialFamily {
  const head = construct.head ?? ''
  const bare = construct.unit('')
  const { first, more } = elementsPerUnit(construct, bare)
  const units = Math.floor((BODY_LIMITS.elements - first) / Math.max(1, more)) + 1
  const budgetFrom = head.length + units * bare.length
  return {
    name: construct.name,
    format: construct.format,
    atLimit: (bytes) => writeAtLimit(construct, bytes),
    beyond: construct.beyond,
    refusal: construct.refusal,
    beyondBudget: (bytes) =>
      head + bare.repeat(Math.max(1, Math.ceil((bytes - head.length) / bare.length))),
    budgetFrom: budgetFrom <= 1 << 20 ? budgetFrom : undefined,
  }
}

const { quoteDepth, listDepth, htmlDepth, tableColumns, emphasisDelimiters, bracketDepth } =
  BODY_LIMITS

/** Ordinary prose of the same sizes, the peer each family's times are read against. */
export const PROSE_FAMILY: AdversarialFamily = makeFamily({
  name: 'prose (peer)',
  format: 'markdown',
  unit: (pad) =>
    `A paragraph of news with *a stress*, a [link](/a) and \`code\`, as articles have.${pad}\n\n`,
  beyond: (bytes) => fill('x', bytes),
  refusal: '',
})

const CONSTRUCTS: readonly Construct[] = [
  {
    name: 'quotes > > >',
    format: 'markdown',
    unit: (pad) => `${'>'.repeat(quoteDepth)} a ${pad}\n\n`,
    beyond: (bytes) => fill('>', bytes),
    refusal: 'nests blockquotes',
  },
  {
    name: 'lists - - -',
    format: 'markdown',
    unit: (pad) => `${'- '.repeat(listDepth)}a ${pad}\n\n`,
    beyond: (bytes) => `${fill('- ', bytes - 1)}a`,
    refusal: 'nests lists',
  },
  {
    name: 'indented lists',
    format: 'markdown',
    unit: (pad) =>
      `${Array.from({ length: listDepth }, (_, i) => `${'  '.repeat(i)}- a`).join('\n')} ${pad}\n\n`,
    beyond: (bytes) => {
      const depth = Math.floor(Math.sqrt(bytes))
      return Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}- a`).join('\n')
    },
    refusal: 'nests lists',
  },
  {
    name: 'divs <div> in Markdown',
    format: 'markdown',
    unit: (pad) => `${'<div>'.repeat(htmlDepth)}a ${pad}${'</div>'.repeat(htmlDepth)}\n\n`,
    beyond: (bytes) => fill('<div>', bytes),
    refusal: 'nests HTML elements',
  },
  {
    name: 'divs <div> as HTML',
    format: 'html',
    unit: (pad) => `${'<div>'.repeat(htmlDepth)}a ${pad}${'</div>'.repeat(htmlDepth)}`,
    beyond: (bytes) => fill('<div>', bytes),
    refusal: 'nests HTML elements',
  },
  {
    name: 'emphasis **_',
    format: 'markdown',
    unit: (pad) => `${'**_'.repeat(emphasisDelimiters / 2)} ${pad}\n\n`,
    beyond: (bytes) => fill('**_', bytes),
    refusal: 'has a paragraph with',
  },
  {
    name: 'unclosed *a **b',
    format: 'markdown',
    unit: (pad) => `${'*a **b '.repeat(emphasisDelimiters / 2)}${pad}\n\n`,
    beyond: (bytes) => fill('*a **b ', bytes),
    refusal: 'has a paragraph with',
  },
  {
    name: 'links [[[[',
    format: 'markdown',
    unit: (pad) => `${'['.repeat(bracketDepth)}a ${pad}\n\n`,
    beyond: (bytes) => fill('[', bytes),
    refusal: 'opens',
  },
  {
    name: 'wide table',
    format: 'markdown',
    head: `${'| a '.repeat(tableColumns)}|\n${'|---'.repeat(tableColumns)}|\n`,
    unit: (pad) => `| a ${pad}${'| a '.repeat(tableColumns - 1)}|\n`,
    beyond: (bytes) => {
      const columns = Math.floor(bytes / 8)
      return `${'| a '.repeat(columns)}|\n${'|---'.repeat(columns)}|\n`
    },
    refusal: 'has a table row',
  },
]

/** Every family the review named: nesting, lists, emphasis runs, brackets, wide tables, HTML. */
export const ADVERSARIAL_FAMILIES: readonly AdversarialFamily[] = CONSTRUCTS.map(makeFamily)
