/** Reads GNU time's `-v` report, refusing one it cannot read rather than taking a zero from it. */

/** What the benchmark takes from `/usr/bin/time -v`. */
export interface TimeReport {
  maxRssBytes: number
  wallSeconds: number
}

const MAX_RSS = /Maximum resident set size \(kbytes\): (\d+)/
const WALL = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ((?:\d+:)?\d+:\d+(?:\.\d+)?)/

/** The peak memory and wall time in a `/usr/bin/time -v` report; throws with the text otherwise. */
export function parseGnuTime(report: string): TimeReport {
  const rss = MAX_RSS.exec(report)?.[1]
  const wall = WALL.exec(report)?.[1]
  if (rss === undefined || wall === undefined)
    throw new Error(`no maximum RSS and wall time in /usr/bin/time's report:\n${report}`)
  const maxRssBytes = Number(rss) * 1024
  if (maxRssBytes <= 0) throw new Error(`a maximum RSS of ${rss} kB in:\n${report}`)
  // h:mm:ss or m:ss(.ss): each field is worth 60 of the next.
  const wallSeconds = wall.split(':').reduce((total, part) => total * 60 + Number(part), 0)
  return { maxRssBytes, wallSeconds }
}
