/**
 * Hostile bodies at 1 KiB … 1 MiB, each family at its limits (scripts/adversarial.ts), through
 * the pre-scan and the whole Markdown or HTML pipeline: "growth ÷ size" is
 * time(1 MiB) / time(64 KiB) / 16, linear when at most 2. A family whose time passes the budget
 * at one size is not measured at the next (its verdict then says so).
 */
import { ADVERSARIAL_FAMILIES, PROSE_FAMILY } from '../scripts/adversarial'
import { renderHtml, renderMarkdown } from '../src/content/markdown'
import { section } from './report'

const SIZES = [1, 16, 64, 256, 1024].map((kib) => kib * 1024)
const BUDGET_MS = 20_000

function timeOnce(render: () => unknown): number {
  const start = performance.now()
  render()
  return performance.now() - start
}

// The median of `runs` timings and their spread (max − min).
function measure(render: () => unknown, runs: number): { median: number; spread: number } {
  const times = Array.from({ length: runs }, () => timeOnce(render)).sort((a, b) => a - b)
  return { median: times[Math.floor(runs / 2)] ?? 0, spread: (times.at(-1) ?? 0) - (times[0] ?? 0) }
}

/** Prints and records the table; returns the families whose growth was linear. */
export function benchAdversarial(quick: boolean): { linear: number; families: number } {
  const rows: string[] = []
  let linear = 0
  for (const family of [PROSE_FAMILY, ...ADVERSARIAL_FAMILIES]) {
    const render = family.format === 'html' ? renderHtml : renderMarkdown
    const cells: string[] = []
    const medians = new Map<number, number>()
    for (const size of SIZES) {
      if ((medians.get(SIZES[SIZES.indexOf(size) - 1] ?? 0) ?? 0) > BUDGET_MS) {
        cells.push('not run')
        continue
      }
      const body = family.atLimit(size)
      const runs = quick ? 1 : 3
      const { median, spread } = measure(() => render(body, 'https://x.test/'), runs)
      medians.set(size, median)
      cells.push(`${median.toFixed(0)} ms ± ${spread.toFixed(0)} (N ${runs})`)
    }
    const [small, large] = [medians.get(65536), medians.get(1048576)]
    const growth = small && large ? large / small / 16 : undefined
    const verdict =
      growth === undefined
        ? 'not measured (over budget)'
        : growth <= 2
          ? 'linear (≤ 2×)'
          : 'not met'
    if (growth !== undefined && growth <= 2 && family !== PROSE_FAMILY) linear += 1
    rows.push(
      `| ${family.name} | ${cells.join(' | ')} | ${growth?.toFixed(2) ?? '—'} | ${verdict} |`,
    )
  }
  section(
    [
      '### Hostile bodies at their limits',
      '',
      `Median (± max − min, N runs) of each family rendered at its limits; budget ${BUDGET_MS / 1000} s a size.`,
      '',
      `| family | ${SIZES.map((s) => `${s / 1024} KiB`).join(' | ')} | growth ÷ size | verdict |`,
      `| --- | ${SIZES.map(() => '---:').join(' | ')} | ---: | --- |`,
      ...rows,
      '',
    ].join('\n'),
  )
  return { linear, families: ADVERSARIAL_FAMILIES.length }
}
