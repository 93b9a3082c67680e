import { signMessage } from './message-signature'
import { signRequest } from './signature'
import { ACTIVITY_JSON } from './urls'
import type { Scheme } from './verify'

/** How long one POST to an inbox may take. */
export const POST_TIMEOUT_MS = 10_000

/** Who signs a POST: the key's id (the actor's key URL) and the private key. */
export interface Signer {
  keyId: string
  key: CryptoKey
}

// The signature headers of `scheme`: RFC 9421 also carries Date, which some servers still
// require of every request.
async function headersOf(
  scheme: Scheme,
  url: URL,
  body: string,
  signer: Signer,
  now: number,
): Promise<Record<string, string>> {
  if (scheme === 'cavage') return signRequest('POST', url, body, signer.keyId, signer.key, now)
  const signed = await signMessage(url, body, signer.keyId, signer.key, now)
  return { ...signed, date: new Date(now).toUTCString() }
}

async function post(url: URL, body: string, headers: Record<string, string>) {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': ACTIVITY_JSON },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(POST_TIMEOUT_MS),
    })
    await response.body?.cancel()
    return response.status
  } catch {
    // A network failure or a timeout: the caller decides whether to retry.
    return null
  }
}

/**
 * POSTs an activity signed with `scheme` and returns the status (null for a network failure).
 * A server remembered as signing with RFC 9421 that answers 400 or 401 to an RFC 9421
 * signature (it verifies its own scheme only for some requests, or changed software) is sent
 * the same activity once more, signed with draft-cavage, which every server verifies.
 */
export async function postSigned(
  url: URL,
  body: string,
  signer: Signer,
  scheme: Scheme,
  now: number,
): Promise<number | null> {
  const status = await post(url, body, await headersOf(scheme, url, body, signer, now))
  if (scheme === 'cavage' || (status !== 400 && status !== 401)) return status
  return post(url, body, await headersOf('cavage', url, body, signer, now))
}
