import { UTCDate } from '@date-fns/utc'
import { format, formatRFC3339, formatRFC7231 } from 'date-fns'

/**
 * RFC 822 date-time as RSS 2.0 requires, with a four-digit year (RFC 1123) and a numeric zone:
 * the RSS Best Practices Profile and the W3C validator prefer `+0000` to the obsolete `GMT`.
 */
export function formatRfc822(instant: string): string {
  return formatRFC7231(new Date(instant)).replace(/ GMT$/, ' +0000')
}

/** RFC 3339 date-time in UTC (`2021-07-19T16:00:00Z`), as Atom §3.3 and JSON Feed 1.1 require. */
export function formatRfc3339(instant: string): string {
  return formatRFC3339(new UTCDate(instant))
}

/** HTTP-date (RFC 9110 §5.6.7), for `Last-Modified`. */
export function formatHttpDate(instant: string): string {
  return formatRFC7231(new Date(instant))
}

/** A date for people on HTML pages (`19 July 2021`), in UTC like every date newswire sends. */
export function formatDisplayDate(instant: string): string {
  return format(new UTCDate(instant), 'd MMMM yyyy')
}
