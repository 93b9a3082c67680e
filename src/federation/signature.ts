import { RSA_SHA256, spkiOf } from './keys'

// draft-cavage-http-signatures-12, as Mastodon signs and verifies it
// (docs.joinmastodon.org/spec/security/#http): rsa-sha256 over `(request-target)`, `host`,
// `date` and, for a body, `digest` (RFC 3230 `SHA-256=` of the body).

/** The headers an outgoing request signs, in order. */
export const SIGNED_HEADERS = ['(request-target)', 'host', 'date', 'digest'] as const

/** The longest Signature header read: a keyId URL, four names and a 4096-bit signature fit. */
const MAX_SIGNATURE_HEADER = 4096

const encoder = new TextEncoder()

function base64Of(bytes: ArrayBuffer): string {
  let binary = ''
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte)
  return btoa(binary)
}

/** The RFC 3230 `Digest` of a body: `SHA-256=` and its base64. */
export async function digestOf(body: string | Uint8Array): Promise<string> {
  const bytes = typeof body === 'string' ? encoder.encode(body) : body
  return `SHA-256=${base64Of(await crypto.subtle.digest('SHA-256', bytes))}`
}

/** The string a signature covers (draft-cavage §2.3): one `name: value` line per header. */
export function signingString(
  method: string,
  url: URL,
  names: readonly string[],
  header: (name: string) => string | null | undefined,
): string {
  return names
    .map((name) => {
      if (name === '(request-target)')
        return `(request-target): ${method.toLowerCase()} ${url.pathname}${url.search}`
      const value = header(name)
      if (value === null || value === undefined) throw new Error(`signed header ${name} is missing`)
      return `${name}: ${value.trim()}`
    })
    .join('\n')
}

/**
 * Headers of a request signed as `keyId` with `key`: Date (`now`), Host, Digest of `body` when
 * there is one, and the Signature over them.
 */
export async function signRequest(
  method: string,
  url: URL,
  body: string | undefined,
  keyId: string,
  key: CryptoKey,
  now: number,
): Promise<Record<string, string>> {
  const headers: Record<string, string> = { host: url.host, date: new Date(now).toUTCString() }
  if (body !== undefined) headers.digest = await digestOf(body)
  const names = SIGNED_HEADERS.filter((name) => name !== 'digest' || body !== undefined)
  const text = signingString(method, url, names, (name) => headers[name])
  const signature = base64Of(await crypto.subtle.sign(RSA_SHA256, key, encoder.encode(text)))
  headers.signature = `keyId="${keyId}",algorithm="rsa-sha256",headers="${names.join(' ')}",signature="${signature}"`
  return headers
}

/** A parsed Signature header (draft-cavage §2.1). */
export interface SignatureParams {
  keyId: string
  algorithm?: string
  headers: string[]
  signature: Uint8Array
}

/** The parameters of a Signature header, or a reason it is not one. */
export function parseSignature(value: string): SignatureParams | string {
  if (value.length > MAX_SIGNATURE_HEADER)
    return `Signature header over ${MAX_SIGNATURE_HEADER} bytes`
  const params = new Map<string, string>()
  for (const match of value.matchAll(/([a-zA-Z]+)="([^"]*)"/g))
    params.set((match[1] as string).toLowerCase(), match[2] as string)
  const keyId = params.get('keyid')
  const signature = params.get('signature')
  if (!keyId || !signature) return 'Signature header without keyId or signature'
  let bytes: Uint8Array
  try {
    bytes = Uint8Array.from(atob(signature), (c) => c.charCodeAt(0))
  } catch {
    // atob throws on anything that is not base64: the header is malformed.
    return 'signature is not base64'
  }
  const algorithm = params.get('algorithm')
  return {
    keyId,
    ...(algorithm ? { algorithm } : {}),
    // draft-cavage §2.1.6: without `headers`, only Date is signed.
    headers: (params.get('headers') ?? 'date').toLowerCase().split(/\s+/).filter(Boolean),
    signature: bytes,
  }
}

/** A WebCrypto signature algorithm, as `verify` takes it. */
export type VerifyAlgorithm = Parameters<typeof crypto.subtle.verify>[0]

/** Whether `signature` over `text` verifies with the PEM public key (RSA unless `algorithm`). */
export async function verifySignature(
  publicKeyPem: string,
  text: string,
  signature: Uint8Array,
  algorithm: VerifyAlgorithm = RSA_SHA256,
): Promise<boolean> {
  const key = await crypto.subtle.importKey('spki', spkiOf(publicKeyPem), algorithm, false, [
    'verify',
  ])
  return crypto.subtle.verify(algorithm, key, signature, encoder.encode(text))
}
