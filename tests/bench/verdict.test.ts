import { describe, expect, it } from 'vitest'
import {
  atLeast,
  atMost,
  divide,
  formatRatio,
  formatSummary,
  formatTimeRatio,
  formatVerdict,
  NOISE_LIMIT,
  noiseOf,
  summarise,
} from '../../bench/verdict'

// A benchmark's medians, as a fake run reports them: the large store 10× slower than the small.
const slowRun = { small: 0.2, large: 2.0 }

describe('divide', () => {
  it('puts the named numerator over the named denominator', () => {
    const ratio = divide('100k', 0.87, '1k', 1)
    expect(ratio.value).toBeCloseTo(0.87, 10)
    expect(formatRatio(ratio)).toBe('100k ÷ 1k = 0.87×')
  })

  it('refuses a measurement of zero, NaN or Infinity, naming it', () => {
    expect(() => divide('100k', 0, '1k', 1)).toThrow(
      '100k: a measurement must be a positive number, got 0',
    )
    expect(() => divide('100k', 1, '1k', Number.NaN)).toThrow(
      '1k: a measurement must be a positive number, got NaN',
    )
    expect(() => divide('a', Number.POSITIVE_INFINITY, 'b', 1)).toThrow('got Infinity')
  })
})

describe('formatTimeRatio', () => {
  it('calls a ratio of times below 1 faster, above 1 slower', () => {
    expect(formatTimeRatio(divide('100k', 167.2, '1k', 191.1))).toBe('100k ÷ 1k = 0.87×: faster')
    expect(formatTimeRatio(divide('100k', 2, '1k', 0.2))).toBe('100k ÷ 1k = 10.00×: slower')
    expect(formatTimeRatio(divide('100k', 1.001, '1k', 1))).toBe('100k ÷ 1k = 1.00×: as fast')
  })
})

describe('verdicts', () => {
  it('a 10× slower large store prints "not met" against a 1.5× ceiling', () => {
    const ratio = divide('100k', slowRun.large, '1k', slowRun.small)
    const verdict = atMost('100k within 1.5× of 1k', formatTimeRatio(ratio), ratio.value, 1.5)
    expect(formatVerdict(verdict)).toBe(
      '| 100k within 1.5× of 1k | 100k ÷ 1k = 10.00×: slower | **not met** |',
    )
  })

  it('a large store as fast as the small one prints "met"', () => {
    const ratio = divide('100k', 0.2, '1k', 0.2)
    expect(atMost('t', formatTimeRatio(ratio), ratio.value, 1.5).met).toBe(true)
  })

  it('a floor is met at the floor and not below it', () => {
    expect(atLeast('t', '', 5, 5).met).toBe(true)
    expect(atLeast('t', '', 4.99, 5).met).toBe(false)
    expect(formatVerdict(atLeast('RSS ≥ 5×', '3.7×', 3.7, 5))).toBe(
      '| RSS ≥ 5× | 3.7× | **not met** |',
    )
  })

  it('refuses to judge NaN', () => {
    expect(() => atMost('t', '', Number.NaN, 1)).toThrow('t: measured NaN')
    expect(() => atLeast('t', '', Number.NaN, 1)).toThrow('t: measured NaN')
  })
})

describe('summarise', () => {
  it('takes the middle of an odd count and the mean of the middle two of an even one', () => {
    expect(summarise([1.03, 0.85, 0.98])).toEqual({ runs: 3, median: 0.98, min: 0.85, max: 1.03 })
    expect(summarise([1.03, 0.85, 0.98, 1.03])).toEqual({
      runs: 4,
      median: 1.005,
      min: 0.85,
      max: 1.03,
    })
  })

  it('prints the number of runs beside the median and range', () => {
    expect(formatSummary(summarise([0.85, 0.98, 1.03]))).toBe(
      'median 0.98×, 0.85–1.03× over 3 runs',
    )
    expect(formatSummary(summarise([2]), ' ms', 1)).toBe('median 2.0 ms, 2.0–2.0 ms over 1 run')
  })

  it('refuses no runs, or a run that measured nothing', () => {
    expect(() => summarise([])).toThrow('no runs to summarise')
    expect(() => summarise([1, Number.NaN])).toThrow('a run measured NaN: 1, NaN')
  })
})

describe('noise', () => {
  const quiet = { median: 1, mad: 0.1 }
  const loud = { median: 1, mad: 0.9 }

  it('is the largest MAD ÷ median among the rows compared', () => {
    expect(noiseOf(quiet, loud)).toBeCloseTo(0.9, 10)
    expect(noiseOf(quiet)).toBeCloseTo(0.1, 10)
  })

  it('makes a verdict inconclusive past the limit, whichever way the ratio points', () => {
    const fast = atMost('t', '0.39×', 0.39, 1.5, noiseOf(quiet, loud))
    expect(fast.met).toBe(false)
    expect(formatVerdict(fast)).toBe(
      '| t | 0.39× | **inconclusive**: the MAD is 90% of a median compared |',
    )
    expect(atLeast('t', '9.4×', 9.4, 5, 0.93).inconclusive).toBe(
      'the MAD is 93% of a median compared',
    )
  })

  it('leaves a verdict alone at or under the limit', () => {
    expect(atMost('t', '', 1, 1.5, NOISE_LIMIT)).toEqual({ target: 't', measured: '', met: true })
    expect(formatVerdict(atLeast('t', '3.7×', 3.7, 5, 0.1))).toBe('| t | 3.7× | **not met** |')
  })
})
