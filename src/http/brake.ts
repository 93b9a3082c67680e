/** The Workers Rate Limiting binding, as far as the brake uses it. */
export interface Limiter {
  limit(options: { key: string }): Promise<{ success: boolean }>
}

/**
 * How long a client that went past the limiter waits (s): the limiter's own period (60 s in
 * wrangler.toml), so that a right token sent during the wait is refused as well.
 */
export const BRAKE_SECONDS = 60

// Past this many clients held, expired holds are swept (memory stays bounded under a flood).
const SWEEP_AT = 10_000

/**
 * Slows guessing of tokens per client. Each failed attempt (a wrong token, in a form or a
 * bearer header) is counted by the Rate Limiting binding; when it says the client is over its
 * limit, the client is held for BRAKE_SECONDS, and every attempt meanwhile, right or wrong,
 * gets 429 before any token is compared. Successful attempts are never counted, so a publisher
 * sending many requests with the right token is not slowed. The hold is this isolate's; the
 * binding's count is the location's, so a client spread across isolates is still refused
 * within the limit at each.
 */
export class Brake {
  readonly #holds = new Map<string, number>()

  /** Seconds `key` must still wait at `now`, or undefined when it may try. */
  heldFor(key: string, now: number): number | undefined {
    const until = this.#holds.get(key)
    if (until === undefined) return undefined
    if (until > now) return Math.ceil((until - now) / 1000)
    this.#holds.delete(key)
    return undefined
  }

  /** Counts a failed attempt of `key`; the seconds to wait when that put it over the limit. */
  async failed(
    limiter: Limiter | undefined,
    key: string,
    now: number,
  ): Promise<number | undefined> {
    if (!limiter) return undefined
    const { success } = await limiter.limit({ key })
    if (success) return undefined
    if (this.#holds.size >= SWEEP_AT)
      for (const [held, until] of this.#holds) if (until <= now) this.#holds.delete(held)
    this.#holds.set(key, now + BRAKE_SECONDS * 1000)
    return BRAKE_SECONDS
  }
}

/** The limiter binding `AUTH_LIMITER` of an environment, when it has one. */
export function limiterOf(env: { AUTH_LIMITER?: Limiter }): Limiter | undefined {
  const binding = env.AUTH_LIMITER
  // A test or a misconfigured binding may hand anything: only a limiter with `limit` counts.
  return typeof binding?.limit === 'function' ? binding : undefined
}

/** The key a client is braked by: its address (CF-Connecting-IP). */
export function brakeKey(address: string | undefined): string {
  return `auth ${address ?? ''}`
}
