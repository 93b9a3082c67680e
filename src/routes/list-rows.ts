import type { ChunkedBody } from '../http/encode'
import {
  articleCount,
  type FeedRowHole,
  type FeedRowTemplate,
  feedRowTemplate,
  feedRowValues,
  fillFeedRow,
} from '../render/html/feed-rows'
import type { ListEntry, ListIndex } from './list-index'
import { feedLinks } from './page'

const encoder = new TextEncoder()
const HOLE_NUMBERS: Record<FeedRowHole, number> = { path: 0, name: 1, count: 2, handle: 3 }

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
// An entry whose row has another shape than the list's (a feed with a profile of its own):
// rendered as text whenever it is asked for.
const OTHER_SHAPE = -2

/**
 * A list's row values for one origin and fediverse setting: each entry's path, name and handle,
 * escaped and encoded once, written one after another into one slab (thousands of small buffers
 * would each cost the collector), and the template every row of the list fills.
 */
interface RowValues {
  links: string
  template?: EncodedTemplate
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
  links: { origin: string; fediverse: boolean }
}

function valuesOf(index: ListIndex, links: ListRows['links']): RowValues {
  const key = `${links.fediverse ? 'fediverse ' : ''}${links.origin}`
  let values = valuesByIndex.get(index)
  if (values?.links !== key) {
    const at = new Int32Array(index.entries.length * FIELDS).fill(UNKNOWN)
    values = { links: key, at, slab: new Uint8Array(64 * 1024), used: 0 }
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

// Encodes an entry's values the first time it is asked for; false when its row has a shape of
// its own.
function learnEntry(
  values: RowValues,
  entry: ListEntry,
  position: number,
  links: ListRows['links'],
) {
  const base = position * FIELDS
  if (values.at[base] !== UNKNOWN) return values.at[base] !== OTHER_SHAPE
  const feed = feedLinks(links.origin, entry.feed, links.fediverse)
  const template = feedRowTemplate(
    feed.files.map((file) => file.format),
    Boolean(feed.handle),
  )
  values.template ??= encodeTemplate(template)
  if (values.template.template !== template) {
    values.at[base] = OTHER_SHAPE
    return false
  }
  const text = feedRowValues({ ...feed, count: 0 })
  values.at[base] = values.used
  values.at[base + 1] = append(values, text.path)
  values.at[base + 2] = append(values, text.name)
  values.at[base + 3] = append(values, text.handle)
  return true
}

// Copies `length` bytes of `from` at `start` to `out` at `offset`; short runs (most values) by
// hand, which costs less than a view and a copy.
function copy(from: Uint8Array, start: number, length: number, out: Uint8Array, offset: number) {
  if (length > 24) out.set(from.subarray(start, start + length), offset)
  else for (let i = 0; i < length; i++) out[offset + i] = from[start + i] as number
}

/**
 * A list page's body: its text (`text[i]` before the i-th row, the last after them all) and
 * its rows, written straight into one buffer. Each row is the list's template filled with its
 * entry's values, encoded once per entry and kept, and its count, so a page costs the same
 * whatever its rows and keeps nothing per page: no row is rendered as text, whatever the query.
 */
export function listPageBody(text: readonly string[], rows: ListRows): ChunkedBody {
  const { index, positions, links } = rows
  const values = valuesOf(index, links)
  const textBytes = text.map((piece) => encoder.encode(piece))
  const counts = positions.map((position) => articleCount(rows.counts[position] ?? 0))
  const others = new Map<number, Uint8Array>()
  let length = 0
  for (const piece of textBytes) length += piece.byteLength
  positions.forEach((position, row) => {
    const entry = index.entries[position] as ListEntry
    if (!learnEntry(values, entry, position, links)) {
      const feed = feedLinks(links.origin, entry.feed, links.fediverse)
      const template = feedRowTemplate(
        feed.files.map((file) => file.format),
        Boolean(feed.handle),
      )
      const bytes = encoder.encode(
        fillFeedRow(template, {
          ...feedRowValues({ ...feed, count: 0 }),
          count: counts[row] as string,
        }),
      )
      others.set(row, bytes)
      length += bytes.byteLength
      return
    }
    const template = values.template as EncodedTemplate
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
  const write = (bytes: Uint8Array) => {
    copy(bytes, 0, bytes.byteLength, out, offset)
    offset += bytes.byteLength
  }
  textBytes.forEach((piece, row) => {
    write(piece)
    const position = positions[row]
    if (position === undefined) return
    const other = others.get(row)
    if (other) {
      write(other)
      return
    }
    const template = values.template as EncodedTemplate
    const base = position * FIELDS
    const start = values.at[base] as number
    const [pathLength, nameLength, handleLength] = [
      values.at[base + 1] as number,
      values.at[base + 2] as number,
      values.at[base + 3] as number,
    ]
    const count = counts[row] as string
    template.holes.forEach((hole, i) => {
      write(template.text[i] as Uint8Array)
      if (hole === 0) copy(values.slab, start, pathLength, out, offset)
      else if (hole === 1) copy(values.slab, start + pathLength, nameLength, out, offset)
      else if (hole === 3)
        copy(values.slab, start + pathLength + nameLength, handleLength, out, offset)
      // A count is digits and ASCII letters: one byte a character.
      else for (let c = 0; c < count.length; c++) out[offset + c] = count.charCodeAt(c)
      offset +=
        hole === 0 ? pathLength : hole === 1 ? nameLength : hole === 3 ? handleLength : count.length
    })
    write(template.text[template.holes.length] as Uint8Array)
  })
  if (offset !== length) throw new Error(`a list page wrote ${offset} bytes of ${length}`)
  return { chunks: [out], length }
}
