import { type Brake, brakeKey, limiterOf } from '../http/brake'
import type { SqlDatabase } from '../store/d1'
import { type Credentials, checkCredentials, SESSION_COOKIE } from './session'
import { type StatsEnv, statsSetup, statsToken } from './setup'

/**
 * Whether the statistics can be read at all: their database and token; off (no database, no
 * secret or no token: what to set goes to the log, never to the visitor); or unavailable (a
 * token too weak to use: the log says why).
 */
export type StatsGate = { db: SqlDatabase; token: string } | { off: true } | { unavailable: true }

/** The gate of an environment, logging what keeps it shut. */
export function statsGate(env: StatsEnv): StatsGate {
  const setup = statsSetup(env)
  const token = statsToken(env)
  if (token.state === 'weak') {
    console.error(`statistics: refused: ${token.problem}`)
    return { unavailable: true }
  }
  if (!setup.on || token.state === 'missing') {
    const steps = setup.on ? [] : setup.missing
    if (token.state === 'missing')
      steps.push('Set the read-only statistics token: `wrangler secret put STATS_TOKEN`.')
    console.warn(`statistics: off: ${steps.join(' ')}`)
    return { off: true }
  }
  return { db: setup.db, token: token.token }
}

/** The value of cookie `name` in a `Cookie` header (RFC 6265 §5.4). */
export function cookieOf(header: string | null, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=')
    if (key === name) return value.join('=')
  }
  return undefined
}

/** What a request presents: its bearer token (RFC 6750 §2.1) and its session cookie. */
export function credentialsOf(headers: Headers): Credentials {
  const bearer = /^Bearer (.+)$/i.exec(headers.get('authorization') ?? '')?.[1]?.trim()
  const session = cookieOf(headers.get('cookie'), SESSION_COOKIE)
  return { ...(bearer ? { bearer } : {}), ...(session ? { session } : {}) }
}

/**
 * Whether a request may read the statistics: true; false (nothing, or a wrong token or an
 * ended session, shown); or the seconds its client must wait, braked after wrong tokens. A
 * braked client is refused before anything it sent is compared, right or wrong.
 */
export async function admit(
  gate: { db: SqlDatabase; token: string },
  brake: Brake,
  request: { env: StatsEnv; address: string | undefined; now: number },
  given: Credentials,
): Promise<true | false | { wait: number }> {
  const key = brakeKey(request.address)
  const held = brake.heldFor(key, request.now)
  if (held !== undefined) return { wait: held }
  const verdict = await checkCredentials(gate.db, gate.token, given, request.now)
  if (verdict === true) return true
  if (verdict === false) {
    const wait = await brake.failed(limiterOf(request.env), key, request.now)
    if (wait !== undefined) return { wait }
  }
  return false
}
