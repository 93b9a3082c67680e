/**
 * The limits an article body is held to before it is parsed. The HTML tree is sanitised and
 * serialised by recursion (a few thousand nested elements overflow the stack), and markdown-it
 * stops parsing silently past its nesting limit: a cheap linear scan refuses such a body first,
 * naming the limit, and the tree is measured again after parsing. The sanitiser, the URL pass
 * and the serialiser then cost about the same for each element, so the number of elements a
 * body makes is bounded too, counted before that work. The limits on emphasis runs and open
 * brackets were set for micromark, which paired them in quadratic time. Real articles stay far
 * below each.
 */
import type { Node } from 'unist'

/** Every limit, with the measure it bounds (README, "Limits on a body"). */
export const BODY_LIMITS = {
  /** Blockquotes inside one another (`> > >`). */
  quoteDepth: 32,
  /** Lists inside one another, by markers on a line and by indentation. */
  listDepth: 32,
  /** HTML elements open at once, counted from `<tag` and `</tag` without parsing. */
  htmlDepth: 256,
  /** Cells in a table's delimiter row, or in any row of the table. */
  tableColumns: 64,
  /** Runs of `*`, `_` or `~` in one paragraph (set when micromark paired them in quadratic time). */
  emphasisDelimiters: 1000,
  /** `[` not yet closed in one paragraph. */
  bracketDepth: 32,
  /** Depth of the parsed tree, whatever built it. */
  treeDepth: 512,
  /**
   * HTML elements a body makes: about twice what a megabyte of ordinary prose makes (52,000),
   * 120 times the largest real body measured (835; README, "Limits on a body").
   */
  elements: 100_000,
} as const

/** A body beyond one of BODY_LIMITS; the message names the measure and the limit. */
export class BodyLimitError extends Error {
  override name = 'BodyLimitError'
}

const formatCount = (count: number) => count.toLocaleString('en-US')

/** The message for a measure beyond its limit, as every caller reports it. */
export function describeExcess(what: string, found: number, limit: number, line?: number): string {
  const where = line === undefined ? '' : ` (line ${formatCount(line)})`
  return `${what.replace('{n}', formatCount(found))}${where}; at most ${formatCount(limit)}`
}

interface Parent extends Node {
  children?: Node[]
}

/** The message for a body making more than BODY_LIMITS.elements elements, passed at `line`. */
export function describeElements(line?: number): string {
  const where = line === undefined ? '' : ` (line ${formatCount(line)})`
  return `makes more than ${formatCount(BODY_LIMITS.elements)} HTML elements${where}`
}

/**
 * The depth of a tree and its number of elements, measured without recursion: the measure must
 * not overflow the stack.
 */
export function measureTree(tree: Node): { depth: number; elements: number } {
  let deepest = 0
  let elements = 0
  const stack: [Node, number][] = [[tree, 0]]
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [node, depth] = top
    if (depth > deepest) deepest = depth
    if (node.type === 'element') elements += 1
    for (const child of (node as Parent).children ?? []) stack.push([child, depth + 1])
  }
  return { depth: deepest, elements }
}

/**
 * Throws BodyLimitError when a parsed tree is deeper than BODY_LIMITS.treeDepth or holds more
 * than BODY_LIMITS.elements elements: the parser may build elements no start tag wrote
 * (HTML §13.2.6.4.7, table rows and clones of formatting elements), and the work after it
 * costs the same for each.
 */
export function assertTreeBounds(tree: Node): void {
  const { depth, elements } = measureTree(tree)
  if (depth > BODY_LIMITS.treeDepth)
    throw new BodyLimitError(
      describeExcess('nests elements {n} deep', depth, BODY_LIMITS.treeDepth),
    )
  if (elements > BODY_LIMITS.elements) throw new BodyLimitError(describeElements())
}
