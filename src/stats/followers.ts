import { FAILING_FOR_MS } from '../federation/delivery'
import { isBlocked } from '../federation/followers'
import type { FollowersOverview } from '../model/stats'
import type { SqlDatabase } from '../store/d1'

/** Rows of each list the dashboard reads: servers and failing inboxes beyond it are counted, not listed. */
export const FOLLOWER_ROWS = 500

// Parameters in one statement: D1 binds at most 100, and each blocked domain takes three.
const DOMAINS_PER_STATEMENT = 30

const iso = (ms: number) => new Date(ms).toISOString()

// Inboxes were URLs when stored (inbox.ts checks them); a row that is not shows as it is.
function hostOf(inbox: string): string {
  try {
    return new URL(inbox).host
  } catch {
    return inbox
  }
}

// The follows still stored from each blocked domain (planChange removes them at the next
// delivery): one grouped statement per 30 domains, then matched exactly as isBlocked matches.
async function blockedFollows(
  db: SqlDatabase,
  blocked: readonly string[],
): Promise<FollowersOverview['blocked']> {
  const rows: { server: string; follows: number }[] = []
  for (let i = 0; i < blocked.length; i += DOMAINS_PER_STATEMENT) {
    const slice = blocked.slice(i, i + DOMAINS_PER_STATEMENT)
    const where = slice.map(() => 'server = ? OR server LIKE ? OR server LIKE ?').join(' OR ')
    const { results } = await db
      .prepare(`SELECT server, count(*) AS follows FROM followers WHERE ${where} GROUP BY server`)
      .bind(...slice.flatMap((domain) => [domain, `%.${domain}`, `${domain}:%`]))
      .all<{ server: string; follows: number }>()
    rows.push(...results)
  }
  return blocked.map((domain) => ({
    domain,
    follows: rows
      .filter((row) => isBlocked(row.server, [domain]))
      .reduce((sum, row) => sum + row.follows, 0),
  }))
}

/**
 * Who follows the feeds, read from the FEDERATION database in four grouped statements (and one
 * per 30 blocked domains), each list at most FOLLOWER_ROWS long: totals, followers per feed, per server, failing inboxes, blocked
 * domains. `blocked` is site.yaml's `federation.blocked`.
 */
export async function followersOverview(
  db: SqlDatabase,
  blocked: readonly string[],
): Promise<FollowersOverview> {
  const [totals, feeds, servers, failing] = await Promise.all([
    db
      .prepare(
        'SELECT count(*) AS follows, count(DISTINCT actor) AS followers, count(DISTINCT server) AS servers FROM followers',
      )
      .first<FollowersOverview['totals']>(),
    db
      .prepare(
        'SELECT handle, count(*) AS followers FROM followers GROUP BY handle ORDER BY followers DESC, handle LIMIT ?',
      )
      .bind(FOLLOWER_ROWS)
      .all<{ handle: string; followers: number }>(),
    db
      .prepare(
        `SELECT server, count(DISTINCT actor) AS followers, count(*) AS follows,
           group_concat(DISTINCT handle) AS handles
         FROM followers GROUP BY server ORDER BY followers DESC, server LIMIT ?`,
      )
      .bind(FOLLOWER_ROWS)
      .all<{ server: string; followers: number; follows: number; handles: string }>(),
    db
      .prepare(
        `SELECT inbox, since, last_status AS lastStatus, last_failed_at AS lastFailedAt
         FROM inbox_failures ORDER BY since, inbox LIMIT ?`,
      )
      .bind(FOLLOWER_ROWS)
      .all<{
        inbox: string
        since: number
        lastStatus: number | null
        lastFailedAt: number | null
      }>(),
  ])
  return {
    totals: totals ?? { follows: 0, followers: 0, servers: 0 },
    feeds: feeds.results,
    // Handles are [a-z0-9_] (handles.ts), so the comma group_concat puts between them is safe.
    servers: servers.results.map((row) => ({
      ...row,
      handles: row.handles.split(',').sort(),
      blocked: isBlocked(row.server, blocked),
    })),
    failing: failing.results.map((row) => ({
      inbox: row.inbox,
      server: hostOf(row.inbox),
      since: iso(row.since),
      lastStatus: row.lastStatus,
      lastFailedAt: row.lastFailedAt === null ? null : iso(row.lastFailedAt),
      prunedFrom: iso(row.since + FAILING_FOR_MS),
    })),
    blocked: await blockedFollows(db, blocked),
  }
}
