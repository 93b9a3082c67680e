/**
 * XML 1.0 §2.2 (Char) forbids C0 controls other than tab, LF and CR, U+FFFE, U+FFFF and lone
 * surrogates anywhere in a document, even escaped or inside CDATA.
 */
const XML_FORBIDDEN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const FORBIDDEN_BMP = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/

/** Removes the characters XML 1.0 cannot carry; everything else is kept. */
export function stripInvalidXmlChars(value: string): string {
  // Almost every string is clean: two native scans decide that without the slow regex.
  if (value.isWellFormed() && !FORBIDDEN_BMP.test(value)) return value
  return value.replace(XML_FORBIDDEN, '')
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/u

/**
 * Where `value` holds a control character XML 1.0 §2.2 forbids, as `holds U+0001 at column 5`
 * (columns count characters from 1); undefined when it holds none.
 */
export function controlCharProblem(value: string): string | undefined {
  const match = CONTROL.exec(value)
  if (!match) return undefined
  const code = (match[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')
  const column = Array.from(value.slice(0, match.index)).length + 1
  return `holds U+${code} at column ${column}`
}

/** Cuts `text` to at most `length` characters, at a word boundary when one is near, with "…". */
export function truncateAtWord(text: string, length: number): string {
  const chars = Array.from(text)
  if (chars.length <= length) return text
  const cut = chars.slice(0, length).join('')
  const atWord = cut.replace(/\s+\S*$/, '')
  return `${atWord.length > length / 2 ? atWord : cut}…`
}
