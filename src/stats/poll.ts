import { reportCapOf } from './caps'
import { clientHash } from './client'
import { classify } from './readers'
import type { Poll } from './recorder'

/** What the statistics see of one answered feed request. */
export interface Answered {
  at: number
  /** The feed's path (`''` for the site). */
  feed: string
  status: 200 | 304
  bytes: number
  /** The client's address (CF-Connecting-IP); used for the day's hash and then dropped. */
  address: string
  userAgent: string
}

const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10)

const hex = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')

/**
 * A request as the statistics count it. A client is an address and a reader (not a
 * User-Agent: any string is free to send, so 30 made-up browsers from one address are one
 * person). Who counts toward a feed's subscribers:
 * - a reader that reports a count: its report, up to the reader's cap (above it the report is
 *   an outlier, flagged and not added), and nothing else;
 * - a service that polls for many people and reports no count (`web`): one subscriber a day,
 *   however many addresses it polls from;
 * - anyone else (an app, a browser, an unknown client): one per address and reader a day;
 * - a bot: counted the same way, apart, never as a subscriber.
 */
export async function pollOf(secret: string, answered: Answered): Promise<Poll> {
  const { reader, kind, counts, report } = classify(answered.userAgent)
  const day = dayOf(answered.at)
  const client = await clientHash(secret, day, answered.address, reader)
  const poll: Poll = {
    at: answered.at,
    feed: answered.feed,
    reader,
    kind,
    status: answered.status,
    bytes: answered.bytes,
    client,
  }
  if (report) {
    if (report.subscribers > reportCapOf(reader)) poll.outlier = true
    else poll.report = { ...report, client: hex(client) }
  } else if (kind === 'bot') poll.member = { crowd: 'bots', hash: client }
  else if (kind === 'web') {
    // A service that reports counts but not in this request (Feedly's other fetchers) adds
    // nothing: its subscribers come from its reports.
    if (!counts)
      poll.member = { crowd: 'people', hash: await clientHash(secret, day, 'service', reader) }
  } else poll.member = { crowd: 'people', hash: client }
  return poll
}
