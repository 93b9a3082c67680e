/**
 * bench/RESULTS.md, one block per benchmark: a run rewrites the blocks of the benchmarks it ran
 * and keeps the others as their own runs wrote them, each block saying which run that was.
 */
import { formatVerdicts, type Verdict } from './verdict'

/** What one benchmark's run wrote: its tables and its verdicts, and where they come from. */
export interface Block {
  name: string
  /** The command and date that produced it, and the machine. */
  provenance: string
  sections: readonly string[]
  verdicts: readonly Verdict[]
}

const BLOCK = /<!-- bench:([\w-]+) -->\n[\s\S]*?<!-- \/bench:\1 -->/g
const LOAD = /<!-- load:start -->[\s\S]*<!-- load:end -->/
const TARGET_ROW =
  /^\| (?!target \|)(?!---)(.+) \| (.+) \| (met|\*\*not met\*\*|\*\*inconclusive\*\*: [^|]+) \|$/gm
const PROVENANCE = /^_(.+)_$/m

/** The text of a block between its markers. */
export function formatBlock(block: Block): string {
  return [
    `<!-- bench:${block.name} -->`,
    `_${block.provenance}_`,
    '',
    ...block.sections,
    ...(block.verdicts.length > 0 ? ['Targets:', '', formatVerdicts(block.verdicts), ''] : []),
    `<!-- /bench:${block.name} -->`,
  ].join('\n')
}

/** The blocks of a RESULTS.md, by benchmark name. */
export function readBlocks(text: string): Map<string, string> {
  return new Map([...text.matchAll(BLOCK)].map((m) => [m[1] as string, m[0]]))
}

// Every target row of the blocks, with the run that measured it.
function targetsOf(blocks: readonly string[]): string[] {
  return blocks.flatMap((block) => {
    const source = PROVENANCE.exec(block)?.[1] ?? 'unknown run'
    return [...block.matchAll(TARGET_ROW)].map((m) => `| ${m[1]} | ${m[2]} | ${m[3]} | ${source} |`)
  })
}

/**
 * RESULTS.md after a run: `header`, then for each name of `order` the fresh block if this run
 * wrote one, else the previous file's; a targets table gathered from them; the load section
 * (another command's) as it was.
 */
export function mergeResults(
  previous: string,
  fresh: readonly Block[],
  order: readonly string[],
  header: readonly string[],
): string {
  const kept = readBlocks(previous)
  const blocks = order.flatMap((name) => {
    const block = fresh.find((b) => b.name === name)
    const text = block ? formatBlock(block) : kept.get(name)
    return text ? [text] : []
  })
  const load = LOAD.exec(previous)?.[0]
  return `${[
    ...header,
    ...blocks.flatMap((b) => [b, '']),
    '### Targets, from the blocks above',
    '',
    '| target | measured | | measured by |',
    '| --- | --- | --- | --- |',
    ...targetsOf(blocks),
    '',
    ...(load ? [load] : []),
  ].join('\n')}\n`
}
