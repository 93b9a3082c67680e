/**
 * Whether an XML document (a feed page, a WXR item, a WXR channel) can be read, in words a
 * publisher understands: characters XML does not allow, a document that ends too soon (where it
 * ends and what is still open), or the parser's own message, each at its place in the source.
 */
import { XMLValidator } from 'fast-xml-parser'
import type { Problem } from './source'

/** Line and column (1-based) in the source of an offset in the text checked. */
export type Locate = (offset: number) => { line: number; column: number }

// XML 1.0 §2.2: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
const isChar = (code: number) =>
  code === 0x9 ||
  code === 0xa ||
  code === 0xd ||
  (code >= 0x20 && code <= 0xd7ff) ||
  (code >= 0xe000 && code <= 0xfffd) ||
  (code >= 0x10000 && code <= 0x10ffff)

const RAW =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 §2.2 excludes these; they are what it finds.
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g
const TOKEN = /<!\[CDATA\[|<!--|&#(x[0-9a-fA-F]+|[0-9]+);/g

const codeName = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`

/**
 * Each character XML 1.0 §2.2 does not allow, raw (anywhere) or as a character reference
 * (outside CDATA sections and comments, where `&#1;` is only text).
 */
export function charProblems(text: string): { offset: number; message: string }[] {
  const found: { offset: number; message: string }[] = []
  RAW.lastIndex = 0
  for (let m = RAW.exec(text); m; m = RAW.exec(text))
    found.push({
      offset: m.index,
      message: `the character ${codeName(m[0].charCodeAt(0))} is not allowed in XML (XML 1.0 §2.2)`,
    })
  TOKEN.lastIndex = 0
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
    if (m[1] === undefined) {
      const close = text.indexOf(m[0] === '<!--' ? '-->' : ']]>', TOKEN.lastIndex)
      if (close === -1) break
      TOKEN.lastIndex = close + 3
      continue
    }
    const code = m[1][0] === 'x' ? Number.parseInt(m[1].slice(1), 16) : Number(m[1])
    if (!isChar(code))
      found.push({
        offset: m.index,
        message: `the character reference ${m[0]} (${codeName(code)}) names a character XML does not allow (XML 1.0 §2.2, §4.1)`,
      })
  }
  return found.sort((a, b) => a.offset - b.offset)
}

const NAME = /[^\s/>=]+/y

// The construct opening at `at`, and where it closes (past its end), or -1 when the text ends
// first. Quoted attribute values may hold `>`.
function constructAt(text: string, at: number): { what: string; end: number; name?: string } {
  for (const [open, close, what] of [
    ['<![CDATA[', ']]>', 'a CDATA section'],
    ['<!--', '-->', 'a comment'],
    ['<?', '?>', 'a processing instruction'],
  ] as const)
    if (text.startsWith(open, at)) {
      const end = text.indexOf(close, at + open.length)
      return { what, end: end === -1 ? -1 : end + close.length }
    }
  const closing = text[at + 1] === '/'
  const bang = text[at + 1] === '!'
  NAME.lastIndex = at + (closing || bang ? 2 : 1)
  const name = NAME.exec(text)?.[0] ?? ''
  const what = bang ? 'the DOCTYPE' : `the tag <${closing ? '/' : ''}${name}`
  let quote = ''
  let depth = 0
  for (let i = NAME.lastIndex; i < text.length; i++) {
    const c = text[i]
    if (quote) {
      if (c === quote) quote = ''
    } else if (c === '"' || c === "'") quote = c
    else if (c === '[') depth += 1
    else if (c === ']') depth -= 1
    else if (c === '>' && depth <= 0) {
      const element = !bang && text[i - 1] !== '/'
      return { what, end: i + 1, ...(element ? { name: closing ? `/${name}` : name } : {}) }
    }
  }
  return { what, end: -1 }
}

/**
 * What is still open where `text` ends, innermost first (a CDATA section, a tag, else an
 * element), with the offset it opened at; undefined when nothing is, or when an element closes
 * out of order (that is the parser's to say).
 */
export function openAtEnd(text: string): { what: string; offset: number } | undefined {
  const open: { name: string; offset: number }[] = []
  for (let at = text.indexOf('<'); at !== -1; ) {
    const construct = constructAt(text, at)
    if (construct.end === -1) return { what: construct.what, offset: at }
    const name = construct.name
    if (name?.startsWith('/')) {
      if (open.pop()?.name !== name.slice(1)) return undefined
    } else if (name) open.push({ name, offset: at })
    at = text.indexOf('<', construct.end)
  }
  const last = open.at(-1)
  return last && { what: `<${last.name}>`, offset: last.offset }
}

// Offset of a 1-based line and column in `text`.
function offsetOf(text: string, line: number, column: number): number {
  let at = 0
  for (let l = 1; l < line && at !== -1; l++) at = text.indexOf('\n', at) + 1 || -1
  return at === -1 ? text.length : at + column - 1
}

/**
 * The problems that keep an XML document from being read, all of them, each at its place
 * (`locate` maps an offset in `text` to the source; `file` prefixes the position).
 */
export function documentProblems(text: string, file: string, locate: Locate): Problem[] {
  const where = (offset: number) => {
    const { line, column } = locate(offset)
    return `${file}:${line}:${column}`
  }
  const short = (offset: number) => {
    const { line, column } = locate(offset)
    return `${line}:${column}`
  }
  const chars = charProblems(text)
  if (chars.length > 0) return chars.map((c) => ({ where: where(c.offset), message: c.message }))
  const valid = XMLValidator.validate(text)
  if (valid === true) return []
  const open = openAtEnd(text)
  if (open)
    return [
      {
        where: where(text.length),
        message: `the document ends inside ${open.what} opened at ${short(open.offset)}: it is cut short`,
      },
    ]
  // The parser counts from the text's start: its positions are made the source's.
  const message = valid.err.msg.replace(
    /\(opened in line (\d+), col (\d+)\)/,
    (_, l: string, c: string) => `(opened at ${where(offsetOf(text, Number(l), Number(c)))})`,
  )
  return [{ where: where(offsetOf(text, valid.err.line, valid.err.col)), message }]
}
