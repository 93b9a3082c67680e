import type { SqlDatabase } from '../store/d1'

/** A remote actor that follows one of ours, and where its deliveries go. */
export interface Follower {
  /** Our origin as the follow named it (`https://news.example`): ids sent to it use it. */
  origin: string
  actor: string
  inbox: string
  sharedInbox?: string
  followId: string
}

/** Stores (or renews) a follow of `handle`; the same actor following twice stays one row. */
export async function addFollower(
  db: SqlDatabase,
  handle: string,
  follower: Follower,
  now: number,
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO followers (handle, origin, actor, inbox, shared_inbox, server, follow_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (handle, actor) DO UPDATE SET inbox = excluded.inbox,
         shared_inbox = excluded.shared_inbox, origin = excluded.origin, follow_id = excluded.follow_id`,
    )
    .bind(
      handle,
      follower.origin,
      follower.actor,
      follower.inbox,
      follower.sharedInbox ?? null,
      new URL(follower.actor).host,
      follower.followId,
      now,
    )
    .run()
}

/** Removes `actor`'s follow of `handle` (an Undo of it); true when there was one. */
export async function removeFollower(
  db: SqlDatabase,
  handle: string,
  actor: string,
): Promise<boolean> {
  const result = await db
    .prepare('DELETE FROM followers WHERE handle = ? AND actor = ?')
    .bind(handle, actor)
    .run()
  return result.meta.changes > 0
}

/** How many follow `handle`. */
export async function countFollowers(db: SqlDatabase, handle: string): Promise<number> {
  const row = await db
    .prepare('SELECT count(*) AS n FROM followers WHERE handle = ?')
    .bind(handle)
    .first<{ n: number }>()
  return row?.n ?? 0
}

/** One page of `handle`'s followers' actor ids, oldest follow first. */
export async function listFollowers(
  db: SqlDatabase,
  handle: string,
  offset: number,
  limit: number,
): Promise<string[]> {
  const { results } = await db
    .prepare(
      'SELECT actor FROM followers WHERE handle = ? ORDER BY created_at, actor LIMIT ? OFFSET ?',
    )
    .bind(handle, limit, offset)
    .all<{ actor: string }>()
  return results.map((row) => row.actor)
}

/** One follow as a delivery sees it: whose follower, at which inbox, by which origin. */
export interface Follow {
  handle: string
  origin: string
  /** The shared inbox of the follower's server when it has one, else its own inbox. */
  inbox: string
  actor: string
  server: string
}

/** Every follow of the actors `handles`, with the inbox each is reached at. */
export async function followsOf(db: SqlDatabase, handles: readonly string[]): Promise<Follow[]> {
  const follows: Follow[] = []
  // D1 binds at most 100 parameters a statement.
  for (let i = 0; i < handles.length; i += 90) {
    const slice = handles.slice(i, i + 90)
    const { results } = await db
      .prepare(
        `SELECT handle, origin, coalesce(shared_inbox, inbox) AS inbox, actor, server
         FROM followers WHERE handle IN (${slice.map(() => '?').join(', ')})`,
      )
      .bind(...slice)
      .all<Follow>()
    follows.push(...results)
  }
  return follows
}

/** Removes every follow delivered through `inbox` (its server answered 410 Gone). */
export async function pruneInbox(db: SqlDatabase, inbox: string): Promise<number> {
  const result = await db
    .prepare('DELETE FROM followers WHERE inbox = ? OR shared_inbox = ?')
    .bind(inbox, inbox)
    .run()
  return result.meta.changes
}

/** Whether `server` is one of `blocked` or a subdomain of one (as Mastodon's domain blocks). */
export function isBlocked(server: string, blocked: readonly string[]): boolean {
  const host = server.toLowerCase().replace(/:\d+$/, '')
  return blocked.some((domain) => host === domain || host.endsWith(`.${domain}`))
}

/** Removes every follow from a blocked server; returns how many went. */
export async function pruneBlocked(db: SqlDatabase, blocked: readonly string[]): Promise<number> {
  let removed = 0
  for (const domain of blocked) {
    const result = await db
      .prepare('DELETE FROM followers WHERE server = ? OR server LIKE ? OR server LIKE ?')
      .bind(domain, `%.${domain}`, `${domain}:%`)
      .run()
    removed += result.meta.changes
  }
  return removed
}
