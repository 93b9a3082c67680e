import { describe, expect, it } from 'vitest'
import { parseGnuTime } from '../../bench/gnu-time'

// As GNU time 1.9 prints it with -v (trimmed to the lines read and a neighbour of each).
const REPORT = `\tCommand being timed: "npx tsx scripts/migrate.ts export.xml"
\tPercent of CPU this job got: 104%
\tElapsed (wall clock) time (h:mm:ss or m:ss): 1:01.32
\tAverage total size (kbytes): 0
\tMaximum resident set size (kbytes): 570368
\tAverage resident set size (kbytes): 0
`

describe('parseGnuTime', () => {
  it('reads the maximum RSS in bytes and the wall time in seconds', () => {
    const report = parseGnuTime(REPORT)
    expect(report.maxRssBytes).toBe(570_368 * 1024)
    expect(report.wallSeconds).toBeCloseTo(61.32, 10)
  })

  it('reads an h:mm:ss wall time', () => {
    const long = REPORT.replace('1:01.32', '1:02:03')
    expect(parseGnuTime(long).wallSeconds).toBe(3723)
  })

  it('throws with the raw text when the report has no maximum RSS', () => {
    const broken = 'sh: 1: /usr/bin/time: not found\n'
    expect(() => parseGnuTime(broken)).toThrow(
      "no maximum RSS and wall time in /usr/bin/time's report:\nsh: 1: /usr/bin/time: not found",
    )
  })

  it('throws when the wall time is missing, and on a zero RSS', () => {
    expect(() => parseGnuTime(REPORT.replace(/Elapsed.*\n/, ''))).toThrow('no maximum RSS')
    expect(() => parseGnuTime(REPORT.replace('570368', '0'))).toThrow('a maximum RSS of 0 kB')
  })
})
