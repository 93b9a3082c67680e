/**
 * Ratios, verdicts and summaries of repeated runs: the arithmetic every benchmark's target line
 * goes through, kept in one place so that its direction and its wording are tested.
 */

/** A ratio of two measurements, named for its direction: `100k ÷ 1k`. */
export interface Ratio {
  numerator: string
  denominator: string
  value: number
}

/** A target, what the run measured for it, and whether that meets it. */
export interface Verdict {
  target: string
  measured: string
  met: boolean
  /** Why the run cannot decide: the noise of its medians, when too large to trust either way. */
  inconclusive?: string
}

/** Above this MAD ÷ median, a median is too noisy to judge a target on. */
export const NOISE_LIMIT = 0.25

/** The median and range of a figure measured in several runs. */
export interface Summary {
  runs: number
  median: number
  min: number
  max: number
}

function checkMeasured(label: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${label}: a measurement must be a positive number, got ${value}`)
}

/** `numerator ÷ denominator`, refusing a measurement that is missing, zero or not a number. */
export function divide(numerator: string, a: number, denominator: string, b: number): Ratio {
  checkMeasured(numerator, a)
  checkMeasured(denominator, b)
  return { numerator, denominator, value: a / b }
}

/** `100k ÷ 1k = 0.87×`. */
export function formatRatio(ratio: Ratio, digits = 2): string {
  return `${ratio.numerator} ÷ ${ratio.denominator} = ${ratio.value.toFixed(digits)}×`
}

/** A ratio of two times, with what it means: below 1 the numerator ran faster. */
export function formatTimeRatio(ratio: Ratio, digits = 2): string {
  const rounded = Number(ratio.value.toFixed(digits))
  const meaning = rounded < 1 ? 'faster' : rounded > 1 ? 'slower' : 'as fast'
  return `${formatRatio(ratio, digits)}: ${meaning}`
}

/** The largest median absolute deviation, as a share of its median, among `rows`. */
export function noiseOf(...rows: readonly { median: number; mad: number }[]): number {
  return Math.max(0, ...rows.map((row) => row.mad / row.median))
}

function judge(target: string, measured: string, met: boolean, noise: number): Verdict {
  if (noise <= NOISE_LIMIT) return { target, measured, met }
  const inconclusive = `the MAD is ${(noise * 100).toFixed(0)}% of a median compared`
  return { target, measured, met: false, inconclusive }
}

/**
 * Met when the measured value is no more than `limit`; inconclusive when `noise` (see noiseOf)
 * is above NOISE_LIMIT.
 */
export function atMost(
  target: string,
  measured: string,
  value: number,
  limit: number,
  noise = 0,
): Verdict {
  if (Number.isNaN(value)) throw new Error(`${target}: measured NaN`)
  return judge(target, measured, value <= limit, noise)
}

/** Met when the measured value is at least `limit`; inconclusive as for atMost. */
export function atLeast(
  target: string,
  measured: string,
  value: number,
  limit: number,
  noise = 0,
): Verdict {
  if (Number.isNaN(value)) throw new Error(`${target}: measured NaN`)
  return judge(target, measured, value >= limit, noise)
}

/** A row of the targets table. */
export function formatVerdict(verdict: Verdict): string {
  const outcome = verdict.inconclusive
    ? `**inconclusive**: ${verdict.inconclusive}`
    : verdict.met
      ? 'met'
      : '**not met**'
  return `| ${verdict.target} | ${verdict.measured} | ${outcome} |`
}

/** The targets table of a run. */
export function formatVerdicts(verdicts: readonly Verdict[]): string {
  return ['| target | measured | |', '| --- | --- | --- |', ...verdicts.map(formatVerdict)].join(
    '\n',
  )
}

/** Median (the mean of the middle two for an even count) and range of `values`. */
export function summarise(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error('no runs to summarise')
  for (const value of values)
    if (!Number.isFinite(value)) throw new Error(`a run measured ${value}: ${values.join(', ')}`)
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  const median =
    sorted.length % 2 === 1
      ? (sorted[middle] as number)
      : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
  return {
    runs: sorted.length,
    median,
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
  }
}

/** `median 0.98×, 0.91–1.04× over 5 runs`. */
export function formatSummary(summary: Summary, unit = '×', digits = 2): string {
  const f = (n: number) => n.toFixed(digits)
  return `median ${f(summary.median)}${unit}, ${f(summary.min)}–${f(summary.max)}${unit} over ${summary.runs} run${summary.runs === 1 ? '' : 's'}`
}
