import { checkContentDigest } from './content-digest'
import { ALGORITHMS, createSignatureBase, parseMessageSignature } from './message-signature'
import {
  digestOf,
  parseSignature,
  signingString,
  type VerifyAlgorithm,
  verifySignature,
} from './signature'

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

/** The signature schemes read: RFC 9421 HTTP Message Signatures, or draft-cavage. */
export type Scheme = 'rfc9421' | 'cavage'

/** What a verified request carries: the activity, the actor that signed it, and how. */
export interface Verified {
  activity: Record<string, unknown>
  actor: string
  scheme: Scheme
}

/** An incoming request as verification reads it. */
interface Incoming {
  method: string
  url: string
  headers: Headers
}

/** What a scheme's checks leave to do: one key lookup and one signature check. */
interface Signed {
  scheme: Scheme
  keyId: string
  text: string
  signature: Uint8Array
  algorithm: VerifyAlgorithm
}

function refuse(status: Refusal['status'], message: string): Refusal {
  return { status, message }
}

// The text a signature covers, from `text` (which throws naming a missing header or
// component), with what the key check needs; 401 when the request lacks what it covers.
function signedOver(text: () => string, rest: Omit<Signed, 'text'>): Signed | Refusal {
  try {
    return { ...rest, text: text() }
  } catch (error) {
    return refuse(401, (error as Error).message)
  }
}

// draft-cavage: the Signature header must cover (request-target), host, date and digest; the
// Date lie within the window; the RFC 3230 Digest match the body.
async function checkCavage(request: Incoming, body: Uint8Array, now: number) {
  const params = parseSignature(request.headers.get('signature') ?? '')
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
  const text = () =>
    signingString(request.method, new URL(request.url), params.headers, (name) =>
      request.headers.get(name),
    )
  return signedOver(text, {
    scheme: 'cavage',
    keyId: params.keyId,
    signature: params.signature,
    algorithm: ALGORITHMS['rsa-v1_5-sha256'],
  })
}

// RFC 9421 with the same guarantees as draft-cavage: the signature covers the method, the
// target (@target-uri, or @authority with @path or @request-target: §2.2) and the body
// (content-digest, RFC 9530 §2); `created` (§2.3) lies within the window and `expires`, if
// any, has not passed; the Content-Digest matches the body.
async function checkMessageSignature(request: Incoming, body: Uint8Array, now: number) {
  const parsed = parseMessageSignature(
    request.headers.get('signature-input') ?? '',
    request.headers.get('signature') ?? '',
  )
  if (typeof parsed === 'string') return refuse(401, parsed)
  const covers = (name: string) => parsed.components.includes(name)
  const target =
    covers('@target-uri') ||
    (covers('@authority') && (covers('@path') || covers('@request-target')))
  for (const [name, covered] of [
    ['@method', covers('@method')],
    ['the target URI', target],
    ['content-digest', covers('content-digest')],
  ] as const)
    if (!covered) return refuse(401, `the signature does not cover ${name}`)
  if (Math.abs(now - parsed.created) > DATE_WINDOW_MS)
    return refuse(401, `created ${parsed.created / 1000} is outside the accepted window`)
  if (parsed.expires !== undefined && parsed.expires < now)
    return refuse(401, `the signature expired at ${parsed.expires / 1000}`)
  const digest = await checkContentDigest(request.headers.get('content-digest'), body)
  if (digest) return refuse(401, digest)
  const message = {
    method: request.method,
    url: new URL(request.url),
    header: (name: string) => request.headers.get(name),
  }
  return signedOver(() => createSignatureBase(message, parsed.components, parsed.params), {
    scheme: 'rfc9421',
    keyId: parsed.keyId,
    signature: parsed.signature,
    algorithm: ALGORITHMS[parsed.algorithm],
  })
}

/**
 * Verifies a POST to an inbox, in order of cost: the JSON, whether the actor's server is
 * blocked (403, before any request to it), the signature's headers (RFC 9421 when the request
 * has a Signature-Input, draft-cavage otherwise), its time window, the body's digest, then one
 * key lookup and one signature check; finally, the key's owner must be the activity's actor.
 * Nothing is stored before this says yes.
 */
export async function verifyInboxRequest(
  request: Incoming,
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

  if (!request.headers.get('signature')) return refuse(401, 'the request is not signed')
  const signed = request.headers.has('signature-input')
    ? await checkMessageSignature(request, body, now)
    : await checkCavage(request, body, now)
  if ('status' in signed) return signed

  const key = await keyOf(signed.keyId).catch(() => undefined)
  if (!key) return refuse(401, `key ${signed.keyId} could not be fetched`)
  const valid = await verifySignature(
    key.publicKeyPem,
    signed.text,
    signed.signature,
    signed.algorithm,
  ).catch(() => false)
  if (!valid) return refuse(401, 'the signature does not verify')
  if (key.owner !== actor) return refuse(401, `key ${signed.keyId} is not ${actor}'s`)
  return { activity: record, actor, scheme: signed.scheme }
}
