/**
 * Which encoding a source's bytes are in, decided from its first bytes the way XML 1.0
 * Appendix F and the WHATWG Encoding Standard ("decode", BOM sniffing) say: a byte order mark
 * first, then the XML declaration's `encoding`, then the HTTP charset, else UTF-8. A JSON
 * document is UTF-8 whatever the header says (RFC 8259 §8.1), a BOM accepted.
 */
// Labels are looked up by the decoders decode.ts uses for them: the Encoding Standard's own.
import { TextDecoder } from '@exodus/bytes/encoding.js'
import { type Problem, SourceError } from './source'

/** What the first bytes say about the rest. */
export interface Sniffed {
  /** The WHATWG name of the encoding (`windows-1252` for a declared `iso-8859-1`). */
  encoding: string
  /** Where the encoding was read from, for messages. */
  from:
    | 'a byte order mark'
    | 'its first bytes'
    | 'the XML declaration'
    | 'the HTTP charset'
    | 'the default (UTF-8)'
  /** Bytes of the byte order mark, dropped before decoding. */
  skip: number
  /** Bytes per code unit: 2 for UTF-16, whose line ends are two bytes. */
  unit: 1 | 2
  bigEndian: boolean
  warnings: Problem[]
}

// XML 1.0 Appendix F: the byte order marks, and `<?` in UTF-16 without one.
const BOMS: [number[], string][] = [
  [[0xef, 0xbb, 0xbf], 'utf-8'],
  [[0xfe, 0xff], 'utf-16be'],
  [[0xff, 0xfe], 'utf-16le'],
]

const DECLARATION = /^(\s*)(<\?xml\s[^>]*?\?>)/
const ENCODING = /\sencoding\s*=\s*(["'])([A-Za-z][A-Za-z0-9._:-]*)\1/

const startsWith = (bytes: Uint8Array, prefix: number[]) => prefix.every((b, i) => bytes[i] === b)

/** The WHATWG name of a label, or undefined when the Encoding Standard names no such encoding. */
export function encodingOf(label: string): string | undefined {
  try {
    return new TextDecoder(label.trim()).encoding
  } catch {
    // RangeError: not a label of the Encoding Standard (or one mapped to "replacement").
    return undefined
  }
}

function unitsOf(bytes: Uint8Array): {
  encoding?: string
  skip: number
  unit: 1 | 2
  big: boolean
} {
  for (const [bom, encoding] of BOMS)
    if (startsWith(bytes, bom))
      return {
        encoding,
        skip: bom.length,
        unit: encoding === 'utf-8' ? 1 : 2,
        big: bom[0] === 0xfe,
      }
  if (startsWith(bytes, [0x00, 0x3c, 0x00, 0x3f]))
    return { encoding: 'utf-16be', skip: 0, unit: 2, big: true }
  if (startsWith(bytes, [0x3c, 0x00, 0x3f, 0x00]))
    return { encoding: 'utf-16le', skip: 0, unit: 2, big: false }
  return { skip: 0, unit: 1, big: false }
}

// The head as text good enough to read an ASCII declaration: byte per char, or UTF-16 units.
function asciiOf(bytes: Uint8Array, unit: 1 | 2, big: boolean): string {
  if (unit === 1) return Buffer.from(bytes).toString('latin1')
  return new TextDecoder(big ? 'utf-16be' : 'utf-16le').decode(bytes.subarray(0, bytes.length & ~1))
}

/**
 * Decides the encoding of `head` (a source's first kilobytes; `charset` from its Content-Type)
 * and blanks an XML declaration that whitespace precedes, in place: XML 1.0 §2.8 allows
 * nothing before it, and blanking keeps every later position exact.
 */
export function sniffEncoding(head: Uint8Array, file: string, charset?: string): Sniffed {
  const { encoding: byBom, skip, unit, big } = unitsOf(head)
  const body = head.subarray(skip)
  const text = asciiOf(body, unit, big)
  const result = (encoding: string, from: Sniffed['from']): Sniffed => ({
    encoding,
    from,
    skip,
    unit,
    bigEndian: big,
    warnings: [],
  })
  if (/^\s*[[{]/.test(text))
    return result(byBom ?? 'utf-8', skip > 0 ? 'a byte order mark' : 'the default (UTF-8)')
  const declaration = DECLARATION.exec(text)
  const label = declaration ? ENCODING.exec(declaration[2] as string)?.[2] : undefined
  let sniffed: Sniffed | undefined
  if (byBom) sniffed = result(byBom, skip > 0 ? 'a byte order mark' : 'its first bytes')
  else if (label) {
    const encoding = encodingOf(label)
    if (!encoding) {
      const column = (declaration?.[0].indexOf(label) ?? 0) + 1
      throw new SourceError(
        `${file}:1:${column}`,
        `the XML declaration names the encoding "${label}", which the WHATWG Encoding Standard does not know`,
      )
    }
    // A declaration read byte by byte is in an ASCII-compatible encoding, whatever it says:
    // "utf-16" there is a mislabel, decoded as UTF-8 (WHATWG HTML §13.2.3.3 does the same).
    sniffed = result(encoding.startsWith('utf-16') ? 'utf-8' : encoding, 'the XML declaration')
  } else if (charset) {
    const encoding = encodingOf(charset)
    if (!encoding)
      throw new SourceError(
        file,
        `its Content-Type names the charset "${charset}", which the WHATWG Encoding Standard does not know`,
      )
    sniffed = result(encoding, 'the HTTP charset')
  }
  sniffed ??= result('utf-8', 'the default (UTF-8)')
  const lead = declaration?.[1] ?? ''
  if (declaration && lead.length > 0) {
    const from = skip + lead.length * unit
    const to = from + (declaration[2] as string).length * unit
    for (let i = from; i < to; i++)
      head[i] = unit === 1 || (i - from) % 2 === (big ? 1 : 0) ? 0x20 : 0
    const lines = lead.split('\n')
    sniffed.warnings.push({
      where: `${file}:${lines.length}:${(lines.at(-1) as string).length + 1}`,
      message:
        'whitespace comes before the XML declaration (XML 1.0 §2.8 allows none there): read as if the declaration were not there',
    })
  }
  return sniffed
}
