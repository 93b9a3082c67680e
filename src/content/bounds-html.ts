/**
 * How deep HTML nests and how many elements it makes, counted from `<tag` and `</tag` without a
 * tokenizer: cheap enough to run on a megabyte before parsing it. Comments, scripts and
 * attribute values are counted like the rest: counting too much is safe, skipping is not.
 */
import { BODY_LIMITS, describeElements, describeExcess } from './bounds'
import { createElementTally, type ElementTally } from './bounds-elements'

// Elements with no end tag (HTML §13.1.2 "void elements"): they never hold anything.
const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'keygen',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
])

// Elements whose start tag closes an open one of their kind, or that only sit in a parent that
// is counted (HTML §13.1.2.4 "optional tags"): legacy HTML leaves `<li>` and `<p>` open, and
// counting them would refuse honest bodies. Their depth is bounded by their counted parents'.
const SELF_CLOSING_KIN = new Set([
  'p',
  'li',
  'dt',
  'dd',
  'tr',
  'td',
  'th',
  'thead',
  'tbody',
  'tfoot',
  'option',
  'optgroup',
  'rb',
  'rt',
  'rp',
  'rtc',
  'colgroup',
  'caption',
])

const isNameStart = (code: number) => (code >= 65 && code <= 90) || (code >= 97 && code <= 122)
const isNameChar = (code: number) =>
  isNameStart(code) || (code >= 48 && code <= 57) || code === 45 /* - */
// After a tag name comes whitespace, `/`, `>` or the end of the text (HTML §13.2.5.8).
const endsName = (code: number) =>
  Number.isNaN(code) || code === 32 || code === 9 || code === 10 || code === 12 || code === 13
    ? true
    : code === 47 || code === 62

/** Open elements and elements made, counted over text fed in pieces (Markdown lines or tokens). */
export interface TagCounter {
  /** Counts the tags in `text`; `line` is where the text starts, for the message. */
  feed(text: string, line: number): void
  /** The elements the HTML parser makes of what was fed (and of what else `tally` was given). */
  readonly tally: ElementTally
  /** The depth limit passed, or undefined. */
  excess(): string | undefined
  /** The line on which the elements passed BODY_LIMITS.elements, or undefined. */
  passedBudgetAt(): number | undefined
}

/** A TagCounter starting with nothing open. */
export function createTagCounter(): TagCounter {
  let depth = 0
  let deepest = 0
  let deepestLine = 0
  let passedLine: number | undefined
  const tally = createElementTally()
  return {
    tally,
    feed(text, line) {
      // Line breaks are counted as far as the tag asked about, once over the text.
      let lines = line
      let nextBreak = text.indexOf('\n')
      const lineAt = (at: number) => {
        while (nextBreak !== -1 && nextBreak < at) {
          lines += 1
          nextBreak = text.indexOf('\n', nextBreak + 1)
        }
        return lines
      }
      // Where the last tag ended (text between tags is counted too), and the next `>`, found
      // once for all the tags before it: searching from each tag would be quadratic.
      let after = 0
      let nextClose = -1
      for (let at = text.indexOf('<'); at !== -1; at = text.indexOf('<', at + 1)) {
        const closing = text.charCodeAt(at + 1) === 47
        const start = at + (closing ? 2 : 1)
        if (!isNameStart(text.charCodeAt(start))) continue
        let end = start + 1
        while (isNameChar(text.charCodeAt(end))) end += 1
        if (!endsName(text.charCodeAt(end))) continue
        const name = text.slice(start, end).toLowerCase()
        if (at > after) tally.text()
        tally.tag(name, closing)
        if (nextClose < end) nextClose = text.indexOf('>', end) >>> 0
        after = Math.min(nextClose, text.length) + 1
        if (passedLine === undefined && tally.count() > BODY_LIMITS.elements)
          passedLine = lineAt(at)
        if (VOID.has(name) || SELF_CLOSING_KIN.has(name)) continue
        if (closing) depth = Math.max(0, depth - 1)
        else if (++depth > deepest) {
          deepest = depth
          deepestLine = lineAt(at)
        }
      }
      if (text.length > after) tally.text()
      if (passedLine === undefined && tally.count() > BODY_LIMITS.elements)
        passedLine = lineAt(text.length)
    },
    excess() {
      return deepest > BODY_LIMITS.htmlDepth
        ? describeExcess(
            'nests HTML elements {n} deep',
            deepest,
            BODY_LIMITS.htmlDepth,
            deepestLine,
          )
        : undefined
    },
    passedBudgetAt() {
      return passedLine
    },
  }
}

/**
 * Says which limit an HTML body passes (its elements nested deeper than BODY_LIMITS.htmlDepth,
 * or more of them than BODY_LIMITS.elements), or undefined: run before parsing it.
 */
export function checkHtmlBounds(html: string): string | undefined {
  const counter = createTagCounter()
  counter.feed(html, 1)
  const passed = counter.passedBudgetAt()
  return counter.excess() ?? (passed === undefined ? undefined : describeElements(passed))
}
