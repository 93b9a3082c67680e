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

/**
 * A request as the statistics count it. Who counts toward a feed's subscribers:
 * - a reader that reports a count: its report, and nothing else;
 * - a service that polls for many people and reports no count (`web`): one subscriber a day,
 *   however many addresses it polls from;
 * - anyone else (an app, a browser, an unknown client): one per address and User-Agent a day;
 * - a bot: counted the same way, apart, never as a subscriber.
 */
export async function pollOf(secret: string, answered: Answered): Promise<Poll> {
  const { reader, kind, counts, report } = classify(answered.userAgent)
  const day = dayOf(answered.at)
  const client = await clientHash(secret, day, answered.address, answered.userAgent)
  const poll: Poll = {
    at: answered.at,
    feed: answered.feed,
    reader,
    kind,
    status: answered.status,
    bytes: answered.bytes,
    client,
  }
  if (report) poll.report = report
  else if (kind === 'bot') poll.member = { crowd: 'bots', hash: client }
  else if (kind === 'web') {
    // A service that reports counts but not in this request (Feedly's other fetchers) adds
    // nothing: its subscribers come from its reports.
    if (!counts)
      poll.member = { crowd: 'people', hash: await clientHash(secret, day, 'service', reader) }
  } else poll.member = { crowd: 'people', hash: client }
  return poll
}
