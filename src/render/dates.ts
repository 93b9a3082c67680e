import { formatRFC7231 } from 'date-fns'

/**
 * RFC 822 date-time as RSS 2.0 requires, with a four-digit year (RFC 1123) and a numeric zone:
 * the RSS Best Practices Profile and the W3C validator prefer `+0000` to the obsolete `GMT`.
 */
export function formatRfc822(instant: string): string {
  return formatRFC7231(new Date(instant)).replace(/ GMT$/, ' +0000')
}

/**
 * RFC 3339 date-time in UTC (`2021-07-19T16:00:00Z`), as Atom §3.3 and JSON Feed 1.1 require:
 * whole seconds, like date-fns' formatRFC3339, from the engine's own ISO 8601 formatter (ten
 * times faster here, and this runs for every item of every feed).
 */
export function formatRfc3339(instant: string): string {
  const iso = new Date(instant).toISOString()
  return `${iso.slice(0, 19)}Z`
}

/** HTTP-date (RFC 9110 §5.6.7), for `Last-Modified`. */
export function formatHttpDate(instant: string): string {
  return formatRFC7231(new Date(instant))
}

const displayFormats = new Map<string, Intl.DateTimeFormat>()

/** A date for people on HTML pages in the site's language (`19 July 2021`), in UTC. */
export function formatDisplayDate(instant: string, language: string): string {
  let formatter = displayFormats.get(language)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(language, {
      timeZone: 'UTC',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
    })
    displayFormats.set(language, formatter)
  }
  return formatter.format(new Date(instant))
}
