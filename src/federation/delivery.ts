import { type Catalog, matchesFilter } from '../model/feeds'
import type { Article } from '../model/types'
import type { SqlDatabase } from '../store/d1'
import { type Change, renderAnnounce, renderChange } from './activities'
import { pruneInbox, targetsOf } from './followers'
import { actorFeeds, handleOf, SITE_HANDLE } from './handles'
import { keysOf } from './keys'
import { type ObjectType, renderObject } from './object'
import { signRequest } from './signature'
import { ACTIVITY_JSON, keyUrl } from './urls'

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
 * The deliveries that tell followers about one article's change. The rule: the site actor
 * sends the Create, Update or Delete; every other feed the article is in sends an Announce of
 * a Create. Each goes once to each inbox (a server's shared inbox stands for all its people).
 */
export async function planChange(
  db: SqlDatabase,
  catalog: Catalog,
  article: Article,
  change: Change,
  options: { now: number; type?: ObjectType },
): Promise<DeliveryMessage[]> {
  const handles = actorFeeds(catalog)
    .filter((feed) => matchesFilter(article, feed.filter))
    .map(handleOf)
  const at = change === 'Create' ? article.published : new Date(options.now).toISOString()
  await db
    .prepare(
      `INSERT INTO objects (article_id, slug, deleted_at) VALUES (?, ?, ?)
       ON CONFLICT (article_id) DO UPDATE SET slug = excluded.slug, deleted_at = excluded.deleted_at`,
    )
    .bind(article.id, article.slug, change === 'Delete' ? options.now : null)
    .run()
  const messages: DeliveryMessage[] = []
  for (const target of await targetsOf(db, handles)) {
    const { origin, handle, inbox } = target
    let activity: Record<string, unknown>
    if (handle === SITE_HANDLE) {
      const object = renderObject(article, {
        origin,
        handle,
        ...(options.type ? { type: options.type } : {}),
      })
      activity = renderChange(change, object, origin, handle, at)
    } else if (change === 'Create') activity = renderAnnounce(origin, handle, article.id, at)
    else continue
    messages.push({
      activityId: String(activity.id),
      handle,
      origin,
      inbox,
      body: JSON.stringify(activity),
    })
  }
  return messages
}

/** What the consumer does with one message: done, retry later, or give it up. */
export type Outcome = 'done' | 'retry' | 'failed'

async function claim(db: SqlDatabase, message: DeliveryMessage, now: number): Promise<boolean> {
  await db
    .prepare(
      `INSERT INTO deliveries (activity_id, inbox, status, attempts, updated_at)
       VALUES (?, ?, 'pending', 0, ?) ON CONFLICT DO NOTHING`,
    )
    .bind(message.activityId, message.inbox, now)
    .run()
  const row = await db
    .prepare('SELECT status FROM deliveries WHERE activity_id = ? AND inbox = ?')
    .bind(message.activityId, message.inbox)
    .first<{ status: string }>()
  return row?.status === 'pending'
}

async function record(
  db: SqlDatabase,
  message: DeliveryMessage,
  status: string,
  http: number | null,
  now: number,
) {
  await db
    .prepare(
      `UPDATE deliveries SET status = ?, attempts = attempts + 1, last_status = ?, updated_at = ?
       WHERE activity_id = ? AND inbox = ?`,
    )
    .bind(status, http, now, message.activityId, message.inbox)
    .run()
}

/**
 * Sends one message, signed by its actor: 2xx is done; 410 prunes every follow through that
 * inbox; another 4xx is given up (the peer refuses it); a 5xx or a network failure is retried
 * until `MAX_ATTEMPTS`. A message already delivered (a redelivered batch) is not sent again.
 */
export async function deliver(
  db: SqlDatabase,
  message: DeliveryMessage,
  attempt: number,
  now: number,
): Promise<Outcome> {
  if (!(await claim(db, message, now))) return 'done'
  const keys = await keysOf(db, message.handle, now)
  const url = new URL(message.inbox)
  const headers = await signRequest(
    'POST',
    url,
    message.body,
    keyUrl(message.origin, message.handle),
    keys.privateKey,
    now,
  )
  let status: number | null = null
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': ACTIVITY_JSON },
      body: message.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
    })
    status = response.status
    await response.body?.cancel()
  } catch {
    // A network failure or a timeout: the peer may be back later, so it is retried.
  }
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
