/** Prints benchmark tables with their noise visible, and collects them for bench/RESULTS.md. */
import { cpus } from 'node:os'
import type { Bench } from 'tinybench'

export interface Row {
  name: string
  /** Median latency, milliseconds. */
  median: number
  /** Median absolute deviation, milliseconds. */
  mad: number
  p99: number
  opsPerSecond: number
  samples: number
}

const sections: string[] = []

function formatTime(ms: number): string {
  if (ms < 0.001) return `${(ms * 1e6).toFixed(0)} ns`
  if (ms < 1) return `${(ms * 1e3).toFixed(ms < 0.01 ? 2 : 1)} µs`
  return `${ms.toFixed(2)} ms`
}

/** Rows of a finished tinybench run. */
export function rowsOf(bench: Bench): Row[] {
  return bench.tasks.map((task) => {
    const result = task.result
    if (!result || !('latency' in result)) {
      const error = result && 'error' in result ? `: ${String(result.error)}` : ''
      throw new Error(`${task.name} did not complete: ${result?.state}${error}`)
    }
    return {
      name: task.name,
      median: result.latency.p50,
      mad: result.latency.mad,
      p99: result.latency.p99,
      opsPerSecond: 1000 / result.latency.p50,
      samples: task.runs,
    }
  })
}

/** A markdown table of rows with a ratio column against `peer` (peer median / row median). */
export function table(
  title: string,
  rows: Row[],
  peerOf: (row: Row) => Row | undefined,
  note = '',
): string {
  const lines = [
    `### ${title}`,
    '',
    ...(note ? [note, ''] : []),
    '| task | median | ± MAD | p99 | ops/s | samples | ratio |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((row) => {
      const peer = peerOf(row)
      const ratio = peer && peer !== row ? `${(peer.median / row.median).toFixed(1)}×` : '1.0×'
      const spread = `${formatTime(row.mad)} (${((row.mad / row.median) * 100).toFixed(0)}%)`
      return `| ${row.name} | ${formatTime(row.median)} | ${spread} | ${formatTime(row.p99)} | ${Math.round(row.opsPerSecond).toLocaleString('en-US')} | ${row.samples} | ${ratio} |`
    }),
    '',
  ]
  const text = lines.join('\n')
  console.log(`\n${text}`)
  sections.push(text)
  return text
}

/** Adds free text (a note or a non-tinybench table) to the report. */
export function section(text: string): void {
  console.log(`\n${text}`)
  sections.push(text)
}

/** The machine the numbers were measured on. */
export function machine(): string {
  const cpu = cpus()
  return `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, ${process.platform}/${process.arch}`
}

/** The sections printed since the last call, taken out of the report. */
export function drain(): string[] {
  return sections.splice(0)
}
