import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatHttpDate, formatRfc822, formatRfc3339 } from '../../src/render/dates'

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const instants = fc
  .date({
    min: new Date('1970-01-01T00:00:00Z'),
    max: new Date('9999-12-31T23:59:59Z'),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString())

describe('dates', () => {
  it('writes RFC 822 with the right weekday, a four-digit year and a numeric zone', () => {
    expect(formatRfc822('2021-07-19T12:00:00.000Z')).toBe('Mon, 19 Jul 2021 12:00:00 +0000')
    fc.assert(
      fc.property(instants, (instant) => {
        const text = formatRfc822(instant)
        expect(text).toMatch(
          /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/,
        )
        expect(text.slice(0, 3)).toBe(WEEKDAYS[new Date(instant).getUTCDay()])
        expect(Date.parse(text)).toBe(Math.floor(Date.parse(instant) / 1000) * 1000)
      }),
      { numRuns: 500, seed: 3 },
    )
  })

  it('writes RFC 3339 in UTC to the second, and it reads back as the same instant', () => {
    expect(formatRfc3339('2021-07-19T08:00:00.000-04:00')).toBe('2021-07-19T12:00:00Z')
    fc.assert(
      fc.property(instants, (instant) => {
        const text = formatRfc3339(instant)
        expect(text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
        expect(Date.parse(text)).toBe(Math.floor(Date.parse(instant) / 1000) * 1000)
      }),
      { numRuns: 500, seed: 4 },
    )
  })

  it('writes HTTP-dates (RFC 9110 §5.6.7) in GMT', () => {
    expect(formatHttpDate('1970-01-01T00:00:00.000Z')).toBe('Thu, 01 Jan 1970 00:00:00 GMT')
  })
})
