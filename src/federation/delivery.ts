import type { SqlDatabase } from '../store/d1'
import { checkOutgoingUrl } from './address'
import { pruneInbox } from './followers'
import { keysOf } from './keys'
import { postSigned } from './post'
import { keyUrl } from './urls'
import type { Scheme } from './verify'

/** One activity for one inbox: a queue message, signed and sent by the consumer. */
export interface DeliveryMessage {
  activityId: string
  handle: string
  origin: string
  inbox: string
  body: string
}

/** Messages a queue `sendBatch` takes at once (Cloudflare Queues: 100 messages, 256 KB). */
export const SEND_BATCH = 100

/** Attempts before a delivery is given up (the first, then retries with backoff). */
export const MAX_ATTEMPTS = 8

/** Seconds before retry `attempt` (from 1): 10 s doubling, at most an hour. */
export function backoffSeconds(attempt: number): number {
  return Math.min(3600, 10 * 2 ** Math.max(0, attempt - 1))
}

/**
 * What the consumer does with one message: done, retry later (after `backoffSeconds`), wait
 * for another consumer's claim (retry after CLAIM_MS), or give it up.
 */
export type Outcome = 'done' | 'retry' | 'held' | 'failed'

/**
 * How long a claimed delivery is another consumer's: longer than a whole batch takes (50
 * messages, six at a time, each POST at most POST_TIMEOUT_MS: 9 × 10 s), so a message
 * redelivered while its first consumer still sends it waits, and one whose consumer died is
 * sent once the claim has lapsed.
 */
export const CLAIM_MS = 5 * 60 * 1000

/** What a claim found: the scheme to sign with, or why nothing is to be sent now. */
type Claim = { scheme: Scheme } | 'settled' | 'held'

// Claims the delivery in one statement, marking it as being sent: a pending row, or one whose
// claim has lapsed. 'settled' when it is done or given up; 'held' while another consumer's
// claim runs. The scheme is the one the inbox's server signs with (draft-cavage when not known).
async function claim(db: SqlDatabase, message: DeliveryMessage, now: number): Promise<Claim> {
  await db
    .prepare(
      `INSERT INTO deliveries (activity_id, inbox, status, attempts, updated_at)
       VALUES (?, ?, 'pending', 0, ?) ON CONFLICT DO NOTHING`,
    )
    .bind(message.activityId, message.inbox, now)
    .run()
  const claimed = await db
    .prepare(
      `UPDATE deliveries SET status = 'sending', updated_at = ?
       WHERE activity_id = ? AND inbox = ?
         AND (status = 'pending' OR (status = 'sending' AND updated_at <= ?))
       RETURNING (SELECT scheme FROM signature_schemes WHERE server = ?) AS scheme`,
    )
    .bind(now, message.activityId, message.inbox, now - CLAIM_MS, new URL(message.inbox).host)
    .first<{ scheme: string | null }>()
  if (claimed) return { scheme: claimed.scheme === 'rfc9421' ? 'rfc9421' : 'cavage' }
  const row = await db
    .prepare('SELECT status FROM deliveries WHERE activity_id = ? AND inbox = ?')
    .bind(message.activityId, message.inbox)
    .first<{ status: string }>()
  return row?.status === 'sending' ? 'held' : 'settled'
}

/** How long an inbox may fail with no success before its follows are pruned: 7 days. */
export const FAILING_FOR_MS = 7 * 24 * 60 * 60 * 1000

// The delivery's row, and the inbox's health in one batch: a success clears its failing
// streak; a failure starts one, or, when it began FAILING_FOR_MS ago, prunes the inbox.
async function record(
  db: SqlDatabase,
  message: DeliveryMessage,
  status: string,
  http: number | null,
  now: number,
): Promise<void> {
  const row = db
    .prepare(
      `UPDATE deliveries SET status = ?, attempts = attempts + 1, last_status = ?, updated_at = ?
       WHERE activity_id = ? AND inbox = ?`,
    )
    .bind(status, http, now, message.activityId, message.inbox)
  const ok = http !== null && http >= 200 && http < 300
  // A 410 has just pruned the inbox: no streak is kept for it.
  const health =
    ok || http === 410
      ? db.prepare('DELETE FROM inbox_failures WHERE inbox = ?').bind(message.inbox)
      : db
          .prepare(
            `INSERT INTO inbox_failures (inbox, since, last_status, last_failed_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (inbox) DO UPDATE
             SET last_status = excluded.last_status, last_failed_at = excluded.last_failed_at
           RETURNING since`,
          )
          .bind(message.inbox, now, http, now)
  const [, streak] = await db.batch<{ since: number }>([row, health])
  const since = streak?.results[0]?.since
  if (!ok && since !== undefined && now - since >= FAILING_FOR_MS) {
    await pruneInbox(db, message.inbox)
    await db.prepare('DELETE FROM inbox_failures WHERE inbox = ?').bind(message.inbox).run()
  }
}

/**
 * Sends one message, signed by its actor in the scheme its server signs with (postSigned):
 * 2xx is done; 410 prunes every follow through that inbox; another 4xx is given up (the peer
 * refuses it); a 5xx or a network failure is retried until `MAX_ATTEMPTS`. An inbox that has failed every attempt for `FAILING_FOR_MS` is pruned.
 * A message already delivered (a redelivered batch) is not sent again, nor one that another
 * consumer is sending (it is retried once that claim could have lapsed); one to an inbox that
 * checkOutgoingUrl refuses (a private address, http outside development) is never sent.
 */
export async function deliver(
  db: SqlDatabase,
  message: DeliveryMessage,
  attempt: number,
  options: { now: number; development: boolean },
): Promise<Outcome> {
  const { now } = options
  const url = new URL(message.inbox)
  if (checkOutgoingUrl(url, options.development)) return 'failed'
  const claimed = await claim(db, message, now)
  if (claimed === 'settled') return 'done'
  if (claimed === 'held') return 'held'
  const { scheme } = claimed
  const keys = await keysOf(db, message.handle, now)
  const signer = { keyId: keyUrl(message.origin, message.handle), key: keys.privateKey }
  const status = await postSigned(url, message.body, signer, scheme, now)
  if (status !== null && status >= 200 && status < 300) {
    await record(db, message, 'done', status, now)
    return 'done'
  }
  if (status === 410) {
    await pruneInbox(db, message.inbox)
    await record(db, message, 'failed', status, now)
    return 'failed'
  }
  const retry = (status === null || status >= 500 || status === 429) && attempt < MAX_ATTEMPTS
  await record(db, message, retry ? 'pending' : 'failed', status, now)
  return retry ? 'retry' : 'failed'
}
