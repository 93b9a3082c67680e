/**
 * The one module every byte of XML and HTML text passes through on its way out. Characters XML
 * forbids are removed first (model/text.ts), then the specials are escaped.
 */
import { stripInvalidXmlChars } from '../model/text'

export { stripInvalidXmlChars }

const TEXT_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  // A raw CR would be normalised to LF by every XML parser (XML 1.0 §2.11).
  '\r': '&#xD;',
}

const ATTR_ESCAPES: Record<string, string> = {
  ...TEXT_ESCAPES,
  '"': '&quot;',
  // Attribute-value normalisation (XML 1.0 §3.3.3) turns raw whitespace into spaces.
  '\t': '&#x9;',
  '\n': '&#xA;',
}

// RSS Best Practices Profile §"Encoding": `&`, `<` and `>` in plain-text elements as
// hexadecimal references, so readers that treat them as HTML and readers that do not agree.
const PLAIN_ESCAPES: Record<string, string> = {
  '&': '&#x26;',
  '<': '&#x3C;',
  '>': '&#x3E;',
  '\r': '&#xD;',
}

// The same, for attribute values that hold plain text (Atom category labels).
const PLAIN_ATTR_ESCAPES: Record<string, string> = {
  ...PLAIN_ESCAPES,
  '"': '&#x22;',
  '\t': '&#x9;',
  '\n': '&#xA;',
}

const TEXT_SPECIALS = /[&<>\r]/g
const ATTR_SPECIALS = /[&<>"\r\t\n]/g

// One escaper per table: forbidden characters out, then each special replaced. The quick
// test first: most strings have nothing to escape and come back as they are.
function escaper(
  specials: RegExp,
  table: Readonly<Record<string, string>>,
): (value: string) => string {
  const any = new RegExp(specials.source)
  return (value) => {
    const clean = stripInvalidXmlChars(value)
    return any.test(clean) ? clean.replace(specials, (c) => table[c] as string) : clean
  }
}

/** Escapes text content of an XML or HTML element. */
export const escapeText = escaper(TEXT_SPECIALS, TEXT_ESCAPES)

/** Escapes a double-quoted XML or HTML attribute value. */
export const escapeAttr = escaper(ATTR_SPECIALS, ATTR_ESCAPES)

/** Escapes an RSS plain-text element (`title`, `dc:creator`, `category`) with hex references. */
export const escapePlain = escaper(TEXT_SPECIALS, PLAIN_ESCAPES)

/** Escapes a double-quoted attribute that holds plain text, with hexadecimal references. */
export const escapePlainAttr = escaper(ATTR_SPECIALS, PLAIN_ATTR_ESCAPES)

/**
 * Wraps HTML in CDATA, splitting every `]]>` (not only the first) across two sections. A CR
 * cannot survive inside CDATA (XML 1.0 §2.11), so it leaves the section as a reference.
 */
export function cdata(value: string): string {
  const body = stripInvalidXmlChars(value)
    .replaceAll(']]>', ']]]]><![CDATA[>')
    .replaceAll('\r', ']]>&#xD;<![CDATA[')
  return `<![CDATA[${body}]]>`
}

function cleanStrings(value: unknown): unknown {
  if (typeof value === 'string') return stripInvalidXmlChars(value)
  if (Array.isArray(value)) return value.map(cleanStrings)
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, cleanStrings(inner)]),
    )
  }
  return value
}

/** JSON text of `value` with every string cleaned of what XML forbids, so all formats agree. */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(cleanStrings(value), null, indent)
}
