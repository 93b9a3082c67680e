import type { Limiter } from '../http/brake'
import { checkToken, type TokenCheck } from '../http/secret'
import type { SqlDatabase } from '../store/d1'

/** The Worker bindings statistics read (a part of the app's Bindings). */
export interface StatsEnv {
  STATS?: SqlDatabase
  STATS_SECRET?: string
  STATS_TOKEN?: string
  API_TOKEN?: string
  AUTH_LIMITER?: Limiter
}

/** Statistics on (a STATS database and a STATS_SECRET), or what is missing. */
export type StatsSetup =
  | { on: true; db: SqlDatabase; secret: string }
  | { on: false; missing: string[] }

/** Whether an environment counts polls, and if not, the steps that would turn it on. */
export function statsSetup(env: StatsEnv): StatsSetup {
  const db = env.STATS
  const secret = env.STATS_SECRET
  const missing: string[] = []
  if (!db)
    missing.push(
      'Create the statistics database with `wrangler d1 create newswire-stats`, put its id in wrangler.toml under the STATS binding, and apply its tables with `wrangler d1 migrations apply newswire-stats --remote`.',
    )
  if (typeof secret !== 'string' || secret.length < 16)
    missing.push(
      'Set a secret of at least 16 characters that keys the daily client hash: `wrangler secret put STATS_SECRET`.',
    )
  return db && secret !== undefined && missing.length === 0
    ? { on: true, db, secret }
    : { on: false, missing }
}

/** The read-only statistics token (`STATS_TOKEN`), which must differ from the publish token. */
export function statsToken(env: StatsEnv): TokenCheck {
  return checkToken('STATS_TOKEN', env.STATS_TOKEN, [env.API_TOKEN])
}
