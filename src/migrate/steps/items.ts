/**
 * The plan's first step: each item once, known by an id, oldest first. An item with nothing to
 * know it by, or no date, is left out and reported where it is; the others go on.
 */
import { createHash } from 'node:crypto'
import { idProblem } from '../../model/id'
import type { SourceItem, SourceRead } from '../source'
import type { Plan } from './types'

/** An item on its way to an article, with the id it is known by and the source it came from. */
export interface PlannedItem {
  item: SourceItem
  id: string
  read: SourceRead
}

// RFC 4122 §4.3: a name-based (SHA-1) UUID in the URL namespace, so the same link always names
// the same article.
const URL_NAMESPACE = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex')

/** The `urn:uuid:` (RFC 4122 v5, URL namespace) that names an item by its link. */
export function uuidFromLink(link: string): string {
  const hash = createHash('sha1').update(URL_NAMESPACE).update(link, 'utf8').digest()
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80
  const hex = hash.subarray(0, 16).toString('hex')
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

// C0 and C1 controls and DEL: XML 1.0 §2.2 refuses most of them raw, but a JSON Feed's `\u0001`
// or a numeric reference arrives decoded, and YAML would have to escape it in front matter.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are what is removed
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g

/** `text` without control characters, and which it held (`U+0001`), for the report. */
export function stripControls(text: string): { text: string; removed: string[] } {
  const removed = [...new Set(text.match(CONTROL) ?? [])].map(
    (c) => `U+${(c.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`,
  )
  return { text: removed.length > 0 ? text.replace(CONTROL, '') : text, removed }
}

// The title and summary without control characters; each removal is reported where it was.
function repaired(item: SourceItem, plan: Plan): SourceItem {
  const title = stripControls(item.title)
  const summary = stripControls(item.summary ?? '')
  const removed = [...new Set([...title.removed, ...summary.removed])]
  if (removed.length === 0) return item
  plan.report.repaired.push(`${item.where}: control characters removed (${removed.join(', ')})`)
  return {
    ...item,
    title: title.text.trim(),
    ...(item.summary === undefined ? {} : { summary: summary.text.trim() }),
  }
}

// The id an item is known by (its GUID, else one named after its link), or why it has none.
function idOf(item: SourceItem, plan: Plan): string | { problem: string } {
  if (!item.guid) {
    if (!item.link) return { problem: 'has no GUID and no link: nothing to know it by' }
    plan.report.minted += 1
    return uuidFromLink(item.link)
  }
  const problem = idProblem(item.guid)
  return problem
    ? { problem: `GUID ${JSON.stringify(item.guid.slice(0, 80))} ${problem}` }
    : item.guid
}

/**
 * Every item once (the first source to hold a GUID wins), oldest first: the order decides which
 * of two articles with one slug keeps it.
 */
export function gatherItems(reads: readonly SourceRead[], plan: Plan): PlannedItem[] {
  const seen = new Set<string>()
  const items: PlannedItem[] = []
  for (const read of reads)
    for (const source of read.items) {
      const id = idOf(source, plan)
      const reject = (message: string) =>
        plan.report.rejected.push(`${source.where}: ${message}: skipped`)
      if (typeof id !== 'string') {
        reject(id.problem)
        continue
      }
      if (seen.has(id)) continue
      seen.add(id)
      if (!source.published) {
        reject('has no publication date')
        continue
      }
      items.push({ item: repaired(source, plan), id, read })
    }
  return items.sort(
    (a, b) =>
      (a.item.published ?? '').localeCompare(b.item.published ?? '') ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  )
}
