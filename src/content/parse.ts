import { parse as parseYaml, YAMLParseError } from 'yaml'
import type { ContentProblem } from './schema'

const FRONT_MATTER = /^---[ \t]*\n([\s\S]*?)\n---[ \t]*(?:\n|$)([\s\S]*)$/

/** The outcome of reading one file: its value, or the problems that stop it being read. */
export type Parsed<T> = { value: T } | { problems: ContentProblem[] }

function problem(file: string, field: string, message: string): { problems: ContentProblem[] } {
  return { problems: [{ file, field, message }] }
}

/** Decodes strict UTF-8 (a BOM is dropped) and normalises line ends to LF. */
export function decodeText(file: string, bytes: Uint8Array): Parsed<string> {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
    return { value: text.replace(/\r\n?/g, '\n') }
  } catch {
    // TextDecoder in fatal mode throws a TypeError that names no position; say what to fix.
    return problem(file, '(file)', 'is not valid UTF-8; save it as UTF-8')
  }
}

/** Parses YAML 1.2 (duplicate keys are errors), locating a syntax error by line and column. */
export function parseYamlText(file: string, text: string, field = '(yaml)'): Parsed<unknown> {
  try {
    return { value: parseYaml(text, { uniqueKeys: true }) }
  } catch (error) {
    // Whatever the parser refuses is the author's to fix: syntax (YAMLParseError) and alias
    // bombs ("Excessive alias count", a ReferenceError) alike. Only non-errors propagate.
    if (!(error instanceof Error)) throw error
    const at = error instanceof YAMLParseError ? error.linePos?.[0] : undefined
    const where = at ? ` at line ${at.line}, column ${at.col}` : ''
    const reason = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')
    return problem(file, field, `is not valid YAML${where}: ${reason}`)
  }
}

/** Splits a Markdown file into its YAML front matter (parsed) and its body. */
export function parseFrontMatter(
  file: string,
  text: string,
): Parsed<{ data: unknown; body: string }> {
  const match = FRONT_MATTER.exec(text)
  if (!match)
    return problem(file, '(front matter)', 'must start with a YAML block between --- lines')
  const data = parseYamlText(file, match[1] ?? '', '(front matter)')
  if ('problems' in data) return data
  return { value: { data: data.value, body: match[2] ?? '' } }
}
