import type { SqlDatabase } from '../store/d1'
import type { Scheme } from './verify'

/** Servers whose scheme this isolate has written lately: at most this many. */
const MEMO_SIZE = 1000
const written = new Map<string, Scheme>()

/**
 * Remembers in D1 the scheme `server` signed a verified request with, so that deliveries to
 * it answer in kind. Written only when this isolate has not already written that value, so a
 * busy server costs one statement per isolate, not one per activity.
 */
export async function rememberScheme(
  db: SqlDatabase,
  server: string,
  scheme: Scheme,
  now: number,
): Promise<void> {
  if (written.get(server) === scheme) return
  await db
    .prepare(
      `INSERT INTO signature_schemes (server, scheme, seen_at) VALUES (?, ?, ?)
       ON CONFLICT (server) DO UPDATE SET scheme = excluded.scheme, seen_at = excluded.seen_at`,
    )
    .bind(server, scheme, now)
    .run()
  if (written.size >= MEMO_SIZE) written.delete(written.keys().next().value as string)
  written.set(server, scheme)
}
