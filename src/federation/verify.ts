import { digestOf, parseSignature, signingString, verifySignature } from './signature'

/** How far a signed Date may lie from now, either way: Mastodon's clock-skew margin (1 hour). */
export const DATE_WINDOW_MS = 60 * 60 * 1000

/** A remote key: its PEM and the actor that owns it. */
export interface RemoteKey {
  publicKeyPem: string
  owner: string
}

/** Why an incoming request was refused: the status it gets and a short reason. */
export interface Refusal {
  status: 400 | 401 | 403
  message: string
}

/** What a verified request carries: the activity and the actor that signed it. */
export interface Verified {
  activity: Record<string, unknown>
  actor: string
}

function refuse(status: Refusal['status'], message: string): Refusal {
  return { status, message }
}

/**
 * Verifies a POST to an inbox, in order of cost: the JSON, whether the actor's server is
 * blocked (403, before any request to it), the Signature header, the Date window, the Digest,
 * then one key lookup and one signature check; finally, the key's owner must be the
 * activity's actor. Nothing is stored before this says yes.
 */
export async function verifyInboxRequest(
  request: { method: string; url: string; headers: Headers },
  body: Uint8Array,
  now: number,
  keyOf: (keyId: string) => Promise<RemoteKey | undefined>,
  blocked: (actor: URL) => boolean = () => false,
): Promise<Verified | Refusal> {
  let activity: unknown
  try {
    activity = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(body))
  } catch {
    // Not UTF-8 JSON: malformed, whatever its signature says.
    return refuse(400, 'the body is not JSON')
  }
  if (typeof activity !== 'object' || activity === null || Array.isArray(activity))
    return refuse(400, 'the body is not a JSON object')
  const record = activity as Record<string, unknown>
  const actor = typeof record.actor === 'string' ? record.actor : undefined
  if (!actor || typeof record.type !== 'string')
    return refuse(400, 'the activity has no type or actor')
  let actorUrl: URL
  try {
    actorUrl = new URL(actor)
  } catch {
    // An actor that is no URL cannot have signed anything.
    return refuse(400, `actor ${actor.slice(0, 100)} is not a URL`)
  }
  if (blocked(actorUrl)) return refuse(403, `${actorUrl.host} is blocked here`)

  const header = request.headers.get('signature')
  if (!header) return refuse(401, 'the request is not signed')
  const params = parseSignature(header)
  if (typeof params === 'string') return refuse(401, params)
  if (params.algorithm && !['rsa-sha256', 'hs2019'].includes(params.algorithm.toLowerCase()))
    return refuse(401, `algorithm ${params.algorithm} is not supported`)
  for (const name of ['(request-target)', 'host', 'date', 'digest'])
    if (!params.headers.includes(name)) return refuse(401, `the signature does not cover ${name}`)

  const date = Date.parse(request.headers.get('date') ?? '')
  if (Number.isNaN(date) || Math.abs(now - date) > DATE_WINDOW_MS)
    return refuse(401, `Date ${request.headers.get('date')} is outside the accepted window`)
  if (request.headers.get('digest') !== (await digestOf(body)))
    return refuse(401, 'Digest does not match the body')

  let text: string
  try {
    text = signingString(request.method, new URL(request.url), params.headers, (name) =>
      request.headers.get(name),
    )
  } catch (error) {
    return refuse(401, (error as Error).message)
  }
  const key = await keyOf(params.keyId).catch(() => undefined)
  if (!key) return refuse(401, `key ${params.keyId} could not be fetched`)
  const valid = await verifySignature(key.publicKeyPem, text, params.signature).catch(() => false)
  if (!valid) return refuse(401, 'the signature does not verify')
  if (key.owner !== actor) return refuse(401, `key ${params.keyId} is not ${actor}'s`)
  return { activity: record, actor }
}
