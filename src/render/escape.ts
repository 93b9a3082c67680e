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
const HAS_TEXT_SPECIAL = /[&<>\r]/
const HAS_ATTR_SPECIAL = /[&<>"\r\t\n]/

/** Escapes text content of an XML or HTML element. */
export function escapeText(value: string): string {
  const clean = stripInvalidXmlChars(value)
  return HAS_TEXT_SPECIAL.test(clean)
    ? clean.replace(TEXT_SPECIALS, (c) => TEXT_ESCAPES[c] as string)
    : clean
}

/** Escapes a double-quoted XML or HTML attribute value. */
export function escapeAttr(value: string): string {
  const clean = stripInvalidXmlChars(value)
  return HAS_ATTR_SPECIAL.test(clean)
    ? clean.replace(ATTR_SPECIALS, (c) => ATTR_ESCAPES[c] as string)
    : clean
}

/** Escapes an RSS plain-text element (`title`, `dc:creator`, `category`) with hex references. */
export function escapePlain(value: string): string {
  const clean = stripInvalidXmlChars(value)
  return HAS_TEXT_SPECIAL.test(clean)
    ? clean.replace(TEXT_SPECIALS, (c) => PLAIN_ESCAPES[c] as string)
    : clean
}

/** Escapes a double-quoted attribute that holds plain text, with hexadecimal references. */
export function escapePlainAttr(value: string): string {
  const clean = stripInvalidXmlChars(value)
  return HAS_ATTR_SPECIAL.test(clean)
    ? clean.replace(ATTR_SPECIALS, (c) => PLAIN_ATTR_ESCAPES[c] as string)
    : clean
}

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
