/**
 * The migration plan, checked against the build: an item whose article the build refuses is
 * left out and reported, and the plan made again without it.
 */
import type { Plan } from './plan'
import type { SourceRead, Where } from './source'

/** A problem the build's check found, and the source item it came from when it is one. */
export interface Refusal {
  line: string
  item?: Where
}

/**
 * The plan, with every item whose article the build refuses left out and reported, as one bad
 * item never stops the others; a problem that is no single item's stops everything.
 */
export async function planChecked(
  reads: SourceRead[],
  plan: (reads: SourceRead[]) => Plan,
  build: (plan: Plan) => Promise<Refusal[]>,
): Promise<{ plan: Plan; problems: string[] }> {
  const refused: string[] = []
  let current = plan(reads)
  // Leaving items out can only remove articles, so a second pass finds nothing new; the bound
  // keeps a surprise from looping.
  for (let pass = 0; pass < 3 && current.problems.length === 0; pass++) {
    const refusals = await build(current)
    if (refusals.length === 0) break
    if (refusals.some((r) => !r.item))
      return { plan: current, problems: refusals.map((r) => r.line) }
    const items = new Set(refusals.map((r) => r.item))
    refused.push(...refusals.map((r) => `${r.line}: skipped (the build refuses it)`))
    reads = reads.map((read) => ({
      ...read,
      items: read.items.filter((item) => !items.has(item.where)),
    }))
    current = plan(reads)
  }
  current.report.rejected.push(...refused)
  return { plan: current, problems: current.problems.map((p) => `${p.where}: ${p.message}`) }
}
