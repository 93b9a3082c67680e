/**
 * One pass over Markdown, line by line, measuring what makes the parser recurse or turn
 * quadratic (BODY_LIMITS), before it runs. Each measure is an upper bound of what CommonMark
 * builds: it may count inside code blocks, never skips what the parser would see.
 */
import { BODY_LIMITS, describeExcess } from './bounds'
import { createTagCounter } from './bounds-html'

/** The container markers that open a line (CommonMark §5.1 block quotes, §5.2 list items). */
interface Prefix {
  quotes: number
  markers: number
  /** Columns of white space before the first list marker (a tab is four). */
  indent: number
  /** Where the line's content starts. */
  end: number
  /** The list markers, when all are one character: `- - -` alone is a thematic break. */
  sameMarker: boolean
  /** The last marker, as written (`-`, `1.`). */
  last: string
}

const isBlank = (code: number) => code === 32 || code === 9
const isDigit = (code: number) => code >= 48 && code <= 57

// A bullet (`-`, `+`, `*`) or an ordered marker (1–9 digits, `.` or `)`), then a space or the
// end of the line (CommonMark §5.2): the index after the marker, or -1.
function markerEnd(line: string, at: number): number {
  const code = line.charCodeAt(at)
  let end = at
  if (code === 45 || code === 43 || code === 42) end += 1
  else {
    while (isDigit(line.charCodeAt(end)) && end - at < 9) end += 1
    const stop = line.charCodeAt(end)
    if (end === at || (stop !== 46 && stop !== 41)) return -1
    end += 1
  }
  return end === line.length || isBlank(line.charCodeAt(end)) ? end : -1
}

function readPrefix(line: string): Prefix {
  const prefix = { quotes: 0, markers: 0, indent: 0, end: 0, sameMarker: true, last: '' }
  let first = -1
  let at = 0
  for (;;) {
    const code = line.charCodeAt(at)
    if (isBlank(code)) {
      if (prefix.markers === 0) prefix.indent += code === 9 ? 4 : 1
      at += 1
    } else if (code === 62 /* > */) {
      prefix.quotes += 1
      at += 1
    } else {
      const end = markerEnd(line, at)
      if (end === -1) break
      if (first === -1) first = code
      else if (code !== first) prefix.sameMarker = false
      prefix.markers += 1
      prefix.last = line.slice(at, end)
      at = end
    }
  }
  prefix.end = at
  return prefix
}

/** The deepest value of one measure, and the first line it was reached on. */
class Deepest {
  value = 0
  line = 0
  constructor(
    readonly what: string,
    readonly limit: number,
  ) {}
  note(value: number, line: number): void {
    if (value <= this.value) return
    this.value = value
    this.line = line
  }
  excess(): string | undefined {
    return this.value > this.limit
      ? describeExcess(this.what, this.value, this.limit, this.line)
      : undefined
  }
}

// Cells of a table row: unescaped `|` split it, a leading and a trailing one add no cell.
function countCells(text: string): number {
  let pipes = 0
  for (let at = text.indexOf('|'); at !== -1; at = text.indexOf('|', at + 1))
    if (text.charCodeAt(at - 1) !== 92) pipes += 1
  if (pipes === 0) return 0
  const trimmed = text.trim()
  return pipes + 1 - (trimmed.startsWith('|') ? 1 : 0) - (trimmed.endsWith('|') ? 1 : 0)
}

/** What one paragraph holds so far: emphasis delimiter runs and open `[`. */
interface Paragraph {
  delimiters: number
  brackets: number
}

// Runs of `*`, `_`, `~` and open brackets, a backslash escaping the next character (§2.4).
function scanInline(
  text: string,
  paragraph: Paragraph,
  runs: Deepest,
  brackets: Deepest,
  line: number,
): void {
  let previous = 0
  for (let at = 0; at < text.length; at += 1) {
    const code = text.charCodeAt(at)
    if (code === 92) {
      at += 1
      previous = 0
      continue
    }
    if ((code === 42 || code === 95 || code === 126) && code !== previous)
      runs.note(++paragraph.delimiters, line)
    else if (code === 91) brackets.note(++paragraph.brackets, line)
    else if (code === 93) paragraph.brackets = Math.max(0, paragraph.brackets - 1)
    previous = code
  }
}

// A line after which inline content starts again (§4.2 ATX headings, §5.2 list items that
// interrupt a paragraph: bullets, and ordered lists starting at 1).
function startsBlock(prefix: Prefix, rest: string): boolean {
  if (/^#{1,6}(?:[ \t]|$)/.test(rest)) return true
  return prefix.markers > 0 && (!isDigit(prefix.last.charCodeAt(0)) || /^1[.)]$/.test(prefix.last))
}

/**
 * Says which of BODY_LIMITS a Markdown body passes (nesting of quotes, lists and HTML, table
 * width, emphasis delimiters or open brackets in a paragraph), or undefined: run before parsing.
 */
export function checkMarkdownBounds(markdown: string): string | undefined {
  const quotes = new Deepest('nests blockquotes {n} deep', BODY_LIMITS.quoteDepth)
  const lists = new Deepest('nests lists {n} deep', BODY_LIMITS.listDepth)
  const cells = new Deepest('has a table row {n} cells wide', BODY_LIMITS.tableColumns)
  const runs = new Deepest(
    'has a paragraph with {n} runs of emphasis delimiters (* _ ~)',
    BODY_LIMITS.emphasisDelimiters,
  )
  const brackets = new Deepest('opens {n} [ brackets in a paragraph', BODY_LIMITS.bracketDepth)
  const tags = createTagCounter()
  const paragraph: Paragraph = { delimiters: 0, brackets: 0 }
  const lines = markdown.split('\n')
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] as string
    const number = index + 1
    const prefix = readPrefix(line)
    const rest = line.slice(prefix.end)
    const blank = rest.trim() === ''
    quotes.note(prefix.quotes, number)
    if (!(blank && prefix.sameMarker && prefix.markers >= 3))
      lists.note(prefix.markers && Math.floor(prefix.indent / 2) + prefix.markers, number)
    if (blank || startsBlock(prefix, rest)) {
      paragraph.delimiters = 0
      paragraph.brackets = 0
    }
    tags.feed(rest, number)
    cells.note(countCells(rest), number)
    scanInline(rest, paragraph, runs, brackets, number)
  }
  return (
    quotes.excess() ??
    lists.excess() ??
    tags.excess() ??
    cells.excess() ??
    runs.excess() ??
    brackets.excess()
  )
}
