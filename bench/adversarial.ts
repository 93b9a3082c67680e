/**
 * Hostile bodies at 1 KiB … 1 MiB, each family at its limits and within the element budget
 * (scripts/adversarial.ts), through the pre-scan and the whole Markdown or HTML pipeline:
 * "growth ÷ size" is time(1 MiB) / time(64 KiB) / 16, linear when at most 2, and "÷ prose" is
 * the family's 1 MiB time over ordinary prose's in the same run. Each family's bodies past a
 * limit are timed at 1 MiB too, refused. A family whose time passes the budget at one size is
 * not measured at the next (its verdict then says so).
 */
import { loadavg } from 'node:os'
import { ADVERSARIAL_FAMILIES, type AdversarialFamily, PROSE_FAMILY } from '../scripts/adversarial'
import { BodyLimitError } from '../src/content/bounds'
import { createTagCounter } from '../src/content/bounds-html'
import { countMarkdownElements } from '../src/content/bounds-tokens'
import { renderHtml, renderMarkdown } from '../src/content/markdown'
import { parseMarkdown } from '../src/content/markdown-html'
import { section } from './report'

const SIZES = [1, 16, 64, 256, 1024].map((kib) => kib * 1024)
const MIB = 1 << 20
const BUDGET_MS = 20_000
/** How many times ordinary prose's 1 MiB time an accepted 1 MiB body may take. */
const PROSE_MULTIPLE = 3

function timeOnce(run: () => unknown): number {
  const start = performance.now()
  run()
  return performance.now() - start
}

// The median of `runs` timings and their spread (max − min).
function measure(run: () => unknown, runs: number): { median: number; spread: number } {
  const times = Array.from({ length: runs }, () => timeOnce(run)).sort((a, b) => a - b)
  return { median: times[Math.floor(runs / 2)] ?? 0, spread: (times.at(-1) ?? 0) - (times[0] ?? 0) }
}

const renderOf = (family: AdversarialFamily) =>
  family.format === 'html' ? renderHtml : renderMarkdown

function countElements(family: AdversarialFamily, body: string): number {
  if (family.format === 'markdown') return countMarkdownElements(parseMarkdown(body).tokens)
  const counter = createTagCounter()
  counter.feed(body, 1)
  return counter.tally.count()
}

// A refused body's time at 1 MiB, or what went wrong: it must throw BodyLimitError.
function timeRefusal(family: AdversarialFamily, body: string, runs: number): string {
  let thrown: unknown
  const { median, spread } = measure(() => {
    try {
      renderOf(family)(body, 'https://x.test/')
    } catch (error) {
      // Refusing is what is measured; anything else is reported below.
      thrown = error
    }
  }, runs)
  return thrown instanceof BodyLimitError
    ? `${median.toFixed(0)} ms ± ${spread.toFixed(0)}`
    : `not refused (${String(thrown)})`
}

interface FamilyRun {
  cells: string[]
  medians: Map<number, number>
}

function runFamily(family: AdversarialFamily, runs: number): FamilyRun {
  const render = renderOf(family)
  const cells: string[] = []
  const medians = new Map<number, number>()
  for (const [index, size] of SIZES.entries()) {
    if ((medians.get(SIZES[index - 1] ?? 0) ?? 0) > BUDGET_MS) {
      cells.push('not run')
      continue
    }
    const body = family.atLimit(size)
    const { median, spread } = measure(() => render(body, 'https://x.test/'), runs)
    medians.set(size, median)
    cells.push(`${median.toFixed(0)} ms ± ${spread.toFixed(0)} (N ${runs})`)
  }
  return { cells, medians }
}

// The family's 1 MiB time over prose's, rounds taken in turn so both see the same machine and
// heap: the median of the rounds' ratios and their spread.
function compareWithProse(family: AdversarialFamily, runs: number) {
  const body = family.atLimit(MIB)
  const prose = PROSE_FAMILY.atLimit(MIB)
  const ratios = Array.from({ length: runs }, () => {
    const time = timeOnce(() => renderOf(family)(body, 'https://x.test/'))
    return time / timeOnce(() => renderMarkdown(prose, 'https://x.test/'))
  }).sort((a, b) => a - b)
  return {
    median: ratios[Math.floor(runs / 2)] ?? 0,
    spread: (ratios.at(-1) ?? 0) - (ratios[0] ?? 0),
  }
}

/** Prints and records the table; returns the families linear in size and those near prose. */
export function benchAdversarial(quick: boolean): {
  linear: number
  nearProse: number
  families: number
} {
  const runs = quick ? 1 : 3
  // The machine may be shared: its load is part of what the times mean.
  const loadBefore = loadavg()[0] ?? 0
  const prose = runFamily(PROSE_FAMILY, runs)
  const rows: string[] = []
  let linear = 0
  let nearProse = 0
  for (const family of [PROSE_FAMILY, ...ADVERSARIAL_FAMILIES]) {
    const { cells, medians } = family === PROSE_FAMILY ? prose : runFamily(family, runs)
    const [small, large] = [medians.get(64 * 1024), medians.get(MIB)]
    const growth = small && large ? large / small / 16 : undefined
    const ofProse =
      large === undefined
        ? undefined
        : family === PROSE_FAMILY
          ? { median: 1, spread: 0 }
          : compareWithProse(family, runs)
    const isLinear = growth !== undefined && growth <= 2
    const isNear = ofProse !== undefined && ofProse.median <= PROSE_MULTIPLE
    if (family !== PROSE_FAMILY) {
      linear += isLinear ? 1 : 0
      nearProse += isNear ? 1 : 0
    }
    const verdict =
      growth === undefined
        ? 'not measured (over budget)'
        : `${isLinear ? 'linear' : 'not linear'}, ${isNear ? 'near' : 'not near'} prose`
    const elements = countElements(family, family.atLimit(MIB)).toLocaleString('en-US')
    const beyond = family === PROSE_FAMILY ? '—' : timeRefusal(family, family.beyond(MIB), runs)
    const pastBudget =
      family.budgetFrom === undefined ? '—' : timeRefusal(family, family.beyondBudget(MIB), runs)
    rows.push(
      `| ${family.name} | ${cells.join(' | ')} | ${growth?.toFixed(2) ?? '—'} | ${ofProse ? `${ofProse.median.toFixed(2)} ± ${ofProse.spread.toFixed(2)}` : '—'} | ${elements} | ${beyond} | ${pastBudget} | ${verdict} |`,
    )
  }
  const load = `Load average (1 min) ${loadBefore.toFixed(1)} when the run began, ${(loadavg()[0] ?? 0).toFixed(1)} at its end.`
  section(
    [
      '### Hostile bodies at their limits, within the element budget',
      '',
      `Median (± max − min, N runs) of each family rendered at its limits, padded with words where more copies would pass the element budget; budget ${BUDGET_MS / 1000} s a size. "÷ prose" is the family's 1 MiB time over ordinary prose's, the median (± max − min) of N rounds that render one and then the other (verdict: linear when growth ÷ size ≤ 2, near prose when ÷ prose ≤ ${PROSE_MULTIPLE}). The last two time columns are bodies of 1 MiB refused: the construct beyond its nesting or width limit, and the construct at its limit repeated without padding past the element budget (— where it stays within it at 1 MiB).`,
      '',
      `| family | ${SIZES.map((s) => `${s / 1024} KiB`).join(' | ')} | growth ÷ size | ÷ prose at 1 MiB | elements at 1 MiB | refused at 1 MiB: beyond its limit | refused at 1 MiB: past the budget | verdict |`,
      `| --- | ${SIZES.map(() => '---:').join(' | ')} | ---: | ---: | ---: | ---: | ---: | --- |`,
      ...rows,
      '',
      load,
      '',
    ].join('\n'),
  )
  return { linear, nearProse, families: ADVERSARIAL_FAMILIES.length }
}
