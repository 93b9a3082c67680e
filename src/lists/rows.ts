import type { ChunkedBody } from '../http/encode'
import type { FeedDefinition } from '../model/types'
import { FORMATS } from '../render/formats'
import {
  articleCount,
  type FeedRowHole,
  type FeedRowTemplate,
  feedRowTemplate,
  feedRowValues,
  renderFeedRow,
} from '../render/html/feed-rows'
import type { FeedLinks } from '../render/html/layout'
import type { ListEntry, ListIndex } from './list-index'

const encoder = new TextEncoder()
const HOLE_NUMBERS: Record<FeedRowHole, number> = { path: 0, name: 1, count: 2, handle: 3 }
const [PATH, NAME, HANDLE] = [HOLE_NUMBERS.path, HOLE_NUMBERS.name, HOLE_NUMBERS.handle]
const EMPTY = new Uint8Array(0)

/** A row template as bytes: its text encoded once, its holes as numbers. */
interface EncodedTemplate {
  template: FeedRowTemplate
  text: Uint8Array[]
  holes: Uint8Array
  /** Bytes of its text, and how many times each hole appears (by number). */
  fixed: number
  uses: [number, number, number, number]
}

function encodeTemplate(template: FeedRowTemplate): EncodedTemplate {
  const text = template.text.map((piece) => encoder.encode(piece))
  const holes = Uint8Array.from(template.holes, (hole) => HOLE_NUMBERS[hole])
  const uses: EncodedTemplate['uses'] = [0, 0, 0, 0]
  for (const hole of holes) uses[hole as 0 | 1 | 2 | 3] += 1
  return { template, text, holes, fixed: text.reduce((sum, t) => sum + t.byteLength, 0), uses }
}

// Per entry: where its values start in the slab and the length of its path, name and handle.
const FIELDS = 4
const UNKNOWN = -1
// An entry whose row is rendered as text whenever it is asked for: it has another shape than
// the list's (a feed with a profile of its own, which has its own formats and no handle), or
// its values came after the slab's budget was spent.
const AS_TEXT = -2

/**
 * Bytes of values a list keeps: about 50 an entry for ordinary names, so 8 MiB holds far more
 * than 50,000 entries; names of hundreds of characters (nothing limits a tag's) cannot make it
 * grow past this, their rows are rendered as text instead.
 */
export const VALUES_BUDGET = 8 * 1024 * 1024

/**
 * A list's row values for one origin and fediverse setting: each entry's path, name and handle,
 * escaped and encoded once, written one after another into one slab (thousands of small buffers
 * would each cost the collector), and the template the rows of the list fill: that of a feed
 * in every format, with a handle when the site federates.
 */
interface RowValues {
  links: string
  template: EncodedTemplate
  at: Int32Array
  slab: Uint8Array
  used: number
}

const valuesByIndex = new WeakMap<ListIndex, RowValues>()

/** Where a page's rows come from: which list, which entries, their counts and their links. */
export interface ListRows {
  index: ListIndex
  positions: readonly number[]
  /** Each entry's article count, by position in the list (`listCounts`). */
  counts: Int32Array
  links: RowLinks
}

/**
 * How the rows link: the origin, whether the site federates (a row then copies its feed's
 * handle), and each feed's links (`feedLinks` of the routes, for that origin and setting).
 */
export interface RowLinks {
  origin: string
  fediverse: boolean
  of: (feed: FeedDefinition) => FeedLinks
}

function valuesOf(index: ListIndex, links: RowLinks): RowValues {
  const key = `${links.fediverse ? 'fediverse ' : ''}${links.origin}`
  let values = valuesByIndex.get(index)
  if (values?.links !== key) {
    const at = new Int32Array(index.entries.length * FIELDS).fill(UNKNOWN)
    const template = encodeTemplate(feedRowTemplate(FORMATS, links.fediverse))
    values = { links: key, template, at, slab: new Uint8Array(64 * 1024), used: 0 }
    valuesByIndex.set(index, values)
  }
  return values
}

// Appends text to the slab (growing it when full) and returns its length in bytes.
function append(values: RowValues, text: string): number {
  for (;;) {
    const free = values.slab.subarray(values.used)
    const { read, written } = encoder.encodeInto(text, free)
    if (read === text.length) {
      values.used += written
      return written
    }
    const grown = new Uint8Array(Math.max(values.slab.length * 2, values.used + text.length * 3))
    grown.set(values.slab.subarray(0, values.used))
    values.slab = grown
  }
}

// Encodes an entry's values the first time it is asked for; false when its row is rendered as
// text (AS_TEXT).
function learnEntry(
  values: RowValues,
  entry: ListEntry,
  position: number,
  links: RowLinks,
  budget: number,
) {
  const base = position * FIELDS
  if (values.at[base] !== UNKNOWN) return values.at[base] !== AS_TEXT
  const feed = links.of(entry.feed)
  const template = feedRowTemplate(
    feed.files.map((file) => file.format),
    Boolean(feed.handle),
  )
  if (values.template.template !== template) {
    values.at[base] = AS_TEXT
    return false
  }
  const text = feedRowValues({ ...feed, count: 0 })
  // At most three bytes a UTF-16 unit.
  if (values.used + 3 * (text.path.length + text.name.length + text.handle.length) > budget) {
    values.at[base] = AS_TEXT
    return false
  }
  values.at[base] = values.used
  values.at[base + 1] = append(values, text.path)
  values.at[base + 2] = append(values, text.name)
  values.at[base + 3] = append(values, text.handle)
  return true
}

// Copies `length` bytes of `from` at `start` to `out` at `offset`, by hand: most values are
// shorter than what a view of them would cost to make.
function copyShort(
  from: Uint8Array,
  start: number,
  length: number,
  out: Uint8Array,
  offset: number,
): void {
  for (let i = 0; i < length; i++) out[offset + i] = from[start + i] as number
}

// Writes a piece of a template's text: short ones by hand, the others in one copy.
function writePiece(piece: Uint8Array, out: Uint8Array, offset: number): number {
  if (piece.length > 8) out.set(piece, offset)
  else copyShort(piece, 0, piece.length, out, offset)
  return offset + piece.length
}

// Copies a value of `length` bytes to `o`: from the slab the first time it appears in the row
// (`first` < 0), from the row itself after. Returns where the value was first written.
function writeValue(
  out: Uint8Array,
  o: number,
  slab: Uint8Array,
  start: number,
  length: number,
  first: number,
): number {
  if (first < 0) {
    copyShort(slab, start, length, out, o)
    return o
  }
  if (length > 32) out.copyWithin(o, first, first + length)
  else copyShort(out, first, length, out, o)
  return first
}

/**
 * Writes one row at `offset` and returns where it ends: the template's text, and each value
 * copied from the slab the first time it appears in the row and from the row itself after
 * (a name appears five times, a path four). Scalars and plain loops only: a page writes 200
 * rows, and anything allocated per row is paid again in collections.
 */
function writeRow(
  out: Uint8Array,
  offset: number,
  template: EncodedTemplate,
  values: RowValues,
  base: number,
  count: string,
): number {
  const { at, slab } = values
  const { text, holes } = template
  const pathStart = at[base] as number
  const pathLength = at[base + 1] as number
  const nameLength = at[base + 2] as number
  const handleLength = at[base + 3] as number
  const nameStart = pathStart + pathLength
  const handleStart = nameStart + nameLength
  let pathAt = -1
  let nameAt = -1
  let handleAt = -1
  let o = writePiece(text[0] as Uint8Array, out, offset)
  for (let i = 0; i < holes.length; i++) {
    const hole = holes[i]
    if (hole === PATH) {
      pathAt = writeValue(out, o, slab, pathStart, pathLength, pathAt)
      o += pathLength
    } else if (hole === NAME) {
      nameAt = writeValue(out, o, slab, nameStart, nameLength, nameAt)
      o += nameLength
    } else if (hole === HANDLE) {
      handleAt = writeValue(out, o, slab, handleStart, handleLength, handleAt)
      o += handleLength
    } else {
      // A count is digits and ASCII letters: one byte a character.
      for (let c = 0; c < count.length; c++) out[o + c] = count.charCodeAt(c)
      o += count.length
    }
    o = writePiece(text[i + 1] as Uint8Array, out, o)
  }
  return o
}

/**
 * A list page's body: its text (`text[i]` before the i-th row, the last after them all) and
 * its rows, written straight into one buffer. Each row is the list's template filled with its
 * entry's values, encoded once per entry and kept, and its count, so a page costs the same
 * whatever its rows and keeps nothing per page: no row is rendered as text, whatever the query.
 */
export function listPageBody(
  text: readonly string[],
  rows: ListRows,
  budget = VALUES_BUDGET,
): ChunkedBody {
  const { index, positions, links } = rows
  const values = valuesOf(index, links)
  const textBytes = text.map((piece) => (piece ? encoder.encode(piece) : EMPTY))
  const counts = positions.map((position) => articleCount(rows.counts[position] ?? 0))
  const others = new Map<number, Uint8Array>()
  let length = 0
  for (const piece of textBytes) length += piece.byteLength
  positions.forEach((position, row) => {
    const entry = index.entries[position] as ListEntry
    if (!learnEntry(values, entry, position, links, budget)) {
      const feed = links.of(entry.feed)
      const bytes = encoder.encode(
        renderFeedRow({ ...feed, count: rows.counts[position] ?? 0 }).value,
      )
      others.set(row, bytes)
      length += bytes.byteLength
      return
    }
    const { template } = values
    const base = position * FIELDS
    const [paths, names, countUses, handles] = template.uses
    length +=
      template.fixed +
      paths * (values.at[base + 1] as number) +
      names * (values.at[base + 2] as number) +
      countUses * (counts[row] as string).length +
      handles * (values.at[base + 3] as number)
  })
  const out = new Uint8Array(length)
  let offset = 0
  textBytes.forEach((piece, row) => {
    offset = writePiece(piece, out, offset)
    const position = positions[row]
    if (position === undefined) return
    const other = others.get(row)
    if (other) offset = writePiece(other, out, offset)
    else
      offset = writeRow(
        out,
        offset,
        values.template,
        values,
        position * FIELDS,
        counts[row] as string,
      )
  })
  if (offset !== length) throw new Error(`a list page wrote ${offset} bytes of ${length}`)
  return { chunks: [out], length }
}
