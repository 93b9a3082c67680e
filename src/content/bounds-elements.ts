/**
 * The elements the HTML parser makes of a run of tags, counted as the tags come: each start
 * tag's own, and the few the parser adds (HTML §13.2.6.4.7 "in body", §13.2.6.4.9 "in table").
 * Counting too many is safe; it must not count fewer than the parser builds before the tree is
 * counted again (assertTreeBounds).
 */

// The formatting elements the parser keeps in its list of active formatting elements and
// rebuilds, still open, before later text and start tags (HTML §13.2.4.3 "reconstruct the
// active formatting elements"): one `<b>` left open makes a `<b>` in every later paragraph.
const FORMATTING = new Set([
  'a',
  'b',
  'big',
  'code',
  'em',
  'font',
  'i',
  'nobr',
  's',
  'small',
  'strike',
  'strong',
  'tt',
  'u',
])

// Where a table tag stands: a cell or row outside its parents makes them (HTML §13.2.6.4.9
// "in table": `<td>` makes a `<tbody>` and a `<tr>`, `<tr>` a `<tbody>`, `<col>` a `<colgroup>`).
const TABLE_TAGS = new Set([
  'table',
  'caption',
  'colgroup',
  'col',
  'tbody',
  'thead',
  'tfoot',
  'tr',
  'td',
  'th',
  '/table',
  '/caption',
  '/colgroup',
  '/tbody',
  '/thead',
  '/tfoot',
  '/tr',
])
const IN_ROW = new Set(['tr', 'td', 'th'])
const IN_SECTION = new Set(['tbody', 'thead', 'tfoot', 'tr', 'td', 'th', '/tr'])
const IN_COLGROUP = new Set(['colgroup', 'col'])

function countMadeParents(name: string, previous: string): number {
  if (name === 'td' || name === 'th') return IN_ROW.has(previous) ? 0 : 2
  if (name === 'tr') return IN_SECTION.has(previous) ? 0 : 1
  if (name === 'col') return IN_COLGROUP.has(previous) ? 0 : 1
  return 0
}

/** The count of elements so far, fed tag by tag. */
export interface ElementTally {
  /** Counts a start tag, or an end tag when `closing`. */
  tag(name: string, closing: boolean): void
  /** Counts `count` elements written without tags, or a closing token when 0 (by markdown-it). */
  add(count: number): void
  /** Counts text, before which the parser rebuilds open formatting elements. */
  text(): void
  /** The elements counted so far. */
  count(): number
}

/** An ElementTally at zero, nothing open. */
export function createElementTally(): ElementTally {
  let made = 0
  // Formatting elements opened and not closed, by name, and how many of them an earlier tag
  // may have taken off the stack of open elements: those are rebuilt.
  const formatting = new Map<string, number>()
  let open = 0
  let popped = 0
  let table = ''
  let paragraph = false
  return {
    tag(name, closing) {
      const formatted = FORMATTING.has(name)
      const opened = formatting.get(name) ?? 0
      const before = open
      if (!closing) {
        // Rebuilt before it, the start tag's own element and the table parents it makes.
        made += 1 + popped + (TABLE_TAGS.has(name) ? countMadeParents(name, table) : 0)
        if (formatted) {
          formatting.set(name, opened + 1)
          open += 1
        }
        if (name === 'p') paragraph = true
      } else {
        if (formatted && opened > 0) {
          formatting.set(name, opened - 1)
          open -= 1
        }
        // `</br>` is a `<br>`; `</p>` with no `<p>` open makes an empty one (§13.2.6.4.7).
        if (name === 'br' || (name === 'p' && !paragraph)) made += 1 + popped
        if (name === 'p') paragraph = false
      }
      if (TABLE_TAGS.has(closing ? `/${name}` : name)) table = closing ? `/${name}` : name
      // Any tag but a formatting start tag may close open elements (`<a>` and `<nobr>` close
      // one of their kind first); rebuilding before a formatting start tag puts all back.
      if (closing || !formatted) popped = open
      else popped = name === 'a' || name === 'nobr' ? before : 0
    },
    add(count) {
      // An element markdown-it writes may close open ones, as any tag.
      made += count + popped
      popped = open
    },
    text() {
      // Rebuilding before text puts every formatting element back on the stack.
      made += popped
      popped = 0
    },
    count() {
      return made
    },
  }
}
