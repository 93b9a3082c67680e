async function digest(value: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value)))
}

/**
 * Compares a presented token with the secret in time independent of where they differ: both
 * are hashed to 32 bytes and every byte is compared, so neither length nor prefix leaks.
 */
export async function sameSecret(given: string, secret: string): Promise<boolean> {
  const [a, b] = await Promise.all([digest(given), digest(secret)])
  let difference = 0
  for (let i = 0; i < a.length; i++) difference |= (a[i] as number) ^ (b[i] as number)
  return difference === 0
}

/**
 * The shortest token accepted: 32 characters, which `openssl rand -base64 32` (44) and a UUID
 * (36) both exceed; a one-character token is no lock at all.
 */
export const MIN_TOKEN_LENGTH = 32

/** A token read from the environment: usable, absent, or refused with the reason why. */
export type TokenCheck =
  | { state: 'ok'; token: string }
  | { state: 'missing' }
  | { state: 'weak'; problem: string }

/**
 * Checks the secret `name` (`value` as the environment gives it): at least MIN_TOKEN_LENGTH
 * characters, and not the same as any of `others` (each key opens one thing).
 */
export function checkToken(name: string, value: unknown, others: unknown[] = []): TokenCheck {
  if (typeof value !== 'string' || value === '') return { state: 'missing' }
  const advice = `set a random one: \`openssl rand -base64 32 | wrangler secret put ${name}\``
  if (value.length < MIN_TOKEN_LENGTH)
    return {
      state: 'weak',
      problem: `${name} has ${value.length} characters, fewer than ${MIN_TOKEN_LENGTH}: ${advice}`,
    }
  if (others.includes(value))
    return { state: 'weak', problem: `${name} is the same as another token: ${advice}` }
  return { state: 'ok', token: value }
}
