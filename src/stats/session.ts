import { sameSecret } from '../http/secret'
import type { SqlDatabase } from '../store/d1'

/** The dashboard's cookie (`__Host-`: Secure, this host only, Path=/; RFC 6265bis §4.1.3.2). */
export const SESSION_COOKIE = '__Host-newswire-stats'
/** How long a session lasts unless its owner signs out. */
export const SESSION_SECONDS = 12 * 3600

const encoder = new TextEncoder()

async function sha256(value: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(value)))
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')
}

const tokenDigest = (token: string) => sha256(`newswire stats session token ${token}`)

/**
 * Opens a session for the holder of `token`: a random 256-bit id for the cookie, of which the
 * database keeps only the SHA-256, so that reading the table opens no session.
 */
export async function openSession(db: SqlDatabase, token: string, now: number): Promise<string> {
  const id = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
  await db
    .prepare('INSERT INTO stats_sessions (id, token, expires) VALUES (?, ?, ?)')
    .bind(await sha256(id), await tokenDigest(token), now + SESSION_SECONDS * 1000)
    .run()
  return id
}

/** Whether `id` names a session that is open at `now` and was opened with today's `token`. */
export async function isOpenSession(
  db: SqlDatabase,
  token: string,
  id: string,
  now: number,
): Promise<boolean> {
  if (!/^[\w-]{43}$/.test(id)) return false
  const row = await db
    .prepare('SELECT token FROM stats_sessions WHERE id = ? AND expires > ?')
    .bind(await sha256(id), now)
    .first<{ token: string }>()
  return row !== null && row.token === (await tokenDigest(token))
}

/** Ends the session `id`: its cookie, wherever copied, opens nothing from now on. */
export async function closeSession(db: SqlDatabase, id: string): Promise<void> {
  await db
    .prepare('DELETE FROM stats_sessions WHERE id = ?')
    .bind(await sha256(id))
    .run()
}

/** Deletes the sessions that ended before `now`. */
export async function dropEndedSessions(db: SqlDatabase, now: number): Promise<void> {
  await db.prepare('DELETE FROM stats_sessions WHERE expires <= ?').bind(now).run()
}

/** What a request presents: a bearer token, or a session cookie. */
export interface Credentials {
  bearer?: string
  session?: string
}

/**
 * Whether `presented` opens the statistics: the statistics token as a bearer, or an open
 * session. `undefined` when nothing was presented (not a failed attempt).
 */
export async function checkCredentials(
  db: SqlDatabase,
  token: string,
  presented: Credentials,
  now: number,
): Promise<boolean | undefined> {
  if (presented.bearer) return sameSecret(presented.bearer, token)
  if (presented.session) return isOpenSession(db, token, presented.session, now)
  return undefined
}
