import {
  type InnerList,
  type Item,
  parseDictionary,
  serializeDictionary,
  serializeInnerList,
  serializeString,
} from 'structured-headers'
import { contentDigestOf } from './content-digest'
import { RSA_SHA256 } from './keys'

// RFC 9421, HTTP Message Signatures: what newswire signs with it, and reads of it.

/** The components an outgoing POST covers (RFC 9421 §2.2.1, §2.2.2; RFC 9530 for the body). */
export const SIGNED_COMPONENTS = ['@method', '@target-uri', 'content-digest'] as const

/** The label of the signature newswire sends (RFC 9421 §4.1: any key of the Dictionary). */
const LABEL = 'sig1'

/** The longest Signature-Input or Signature header read, as for draft-cavage's. */
const MAX_HEADER = 4096

/** The algorithms verified (RFC 9421 §3.3.2, §3.3.6), by their registered names. */
export const ALGORITHMS = {
  'rsa-v1_5-sha256': RSA_SHA256,
  ed25519: { name: 'Ed25519' },
} as const

/** An algorithm of ALGORITHMS. */
export type Algorithm = keyof typeof ALGORITHMS

/** What a request offers a component's value from: its method, URL and header fields. */
export interface Message {
  method: string
  url: URL
  header(name: string): string | null | undefined
}

// RFC 9421 §2.2: the derived components this reads; §2.1: any other name is a header field,
// its value trimmed (Headers already joins repeated fields with `, `).
function componentValue(message: Message, component: string): string | undefined {
  const { url } = message
  switch (component) {
    case '@method':
      return message.method.toUpperCase()
    case '@target-uri':
      return url.href
    case '@authority':
      return url.host.toLowerCase()
    case '@scheme':
      return url.protocol.slice(0, -1)
    case '@path':
      return url.pathname
    case '@query':
      return url.search || '?'
    case '@request-target':
      return `${url.pathname}${url.search}`
    default:
      if (component.startsWith('@')) return undefined
      return message.header(component)?.trim() ?? undefined
  }
}

/**
 * The signature base (RFC 9421 §2.5): one `"component": value` line per covered component, in
 * order, then the `"@signature-params"` line holding `params` (the serialised inner list of
 * §2.3), joined by LF with none at the end. Throws naming a component the message lacks.
 */
export function createSignatureBase(
  message: Message,
  components: readonly string[],
  params: string,
): string {
  const lines = components.map((component) => {
    const value = componentValue(message, component)
    if (value === undefined) throw new Error(`covered component ${component} is missing`)
    return `${serializeString(component)}: ${value}`
  })
  lines.push(`"@signature-params": ${params}`)
  return lines.join('\n')
}

/**
 * Headers of a POST signed with RFC 9421 as `keyId` with the RSA `key`: `Content-Digest`
 * (RFC 9530), `Signature-Input` (§4.1: the covered components, `created` from `now`, `keyid`,
 * `alg`) and `Signature` (§4.2: the RSASSA-PKCS1-v1_5 SHA-256 signature of the base, §3.3.2).
 */
export async function signMessage(
  url: URL,
  body: string,
  keyId: string,
  key: CryptoKey,
  now: number,
): Promise<Record<string, string>> {
  const headers: Record<string, string> = {
    'content-digest': await contentDigestOf(new TextEncoder().encode(body)),
  }
  const input: InnerList = [
    SIGNED_COMPONENTS.map((name): Item => [name, new Map()]),
    new Map<string, string | number>([
      ['created', Math.floor(now / 1000)],
      ['keyid', keyId],
      ['alg', 'rsa-v1_5-sha256'],
    ]),
  ]
  const params = serializeInnerList(input)
  const message: Message = { method: 'POST', url, header: (name) => headers[name] }
  const base = createSignatureBase(message, SIGNED_COMPONENTS, params)
  const signature = await crypto.subtle.sign(RSA_SHA256, key, new TextEncoder().encode(base))
  headers['signature-input'] = `${LABEL}=${params}`
  headers.signature = serializeDictionary(new Map([[LABEL, [signature, new Map()]]]))
  return headers
}

/** One signature of a request, read from its `Signature-Input` and `Signature` (RFC 9421 §4). */
export interface MessageSignature {
  components: string[]
  /** The serialised inner list: the value of the `@signature-params` line. */
  params: string
  keyId: string
  algorithm: Algorithm
  created: number
  expires?: number
  signature: Uint8Array
}

function stringParam(params: Map<string, unknown>, name: string): string | undefined {
  const value = params.get(name)
  return typeof value === 'string' ? value : undefined
}

/**
 * The first signature of `Signature-Input` that `Signature` holds, or the reason none can be
 * read: no keyid or created (which newswire requires, to find the key and refuse replays),
 * an algorithm outside ALGORITHMS, or a component with parameters (`;sf`, `;req`…), not read.
 */
export function parseMessageSignature(input: string, signature: string): MessageSignature | string {
  if (input.length > MAX_HEADER || signature.length > MAX_HEADER)
    return `Signature-Input or Signature over ${MAX_HEADER} bytes`
  let inputs: ReturnType<typeof parseDictionary>
  let signatures: ReturnType<typeof parseDictionary>
  try {
    inputs = parseDictionary(input)
    signatures = parseDictionary(signature)
  } catch {
    // RFC 9421 §4: both fields are Dictionaries; anything else is malformed.
    return 'Signature-Input or Signature is not a Dictionary'
  }
  const [label, member] = [...inputs][0] ?? []
  if (!label || !member || !Array.isArray(member[0])) return 'Signature-Input holds no inner list'
  const bytes = signatures.get(label)?.[0]
  if (!(bytes instanceof ArrayBuffer)) return `Signature holds no Byte Sequence for ${label}`
  const [items, params] = member as InnerList
  const components: string[] = []
  for (const [name, itemParams] of items) {
    if (typeof name !== 'string' || itemParams.size > 0)
      return `component ${String(name)} is not supported`
    components.push(name)
  }
  const keyId = stringParam(params, 'keyid')
  const created = params.get('created')
  if (!keyId || typeof created !== 'number') return 'the signature has no keyid or created'
  const alg = stringParam(params, 'alg') ?? 'rsa-v1_5-sha256'
  if (!(alg in ALGORITHMS)) return `algorithm ${alg} is not supported`
  const expires = params.get('expires')
  return {
    components,
    params: serializeInnerList(member as InnerList),
    keyId,
    algorithm: alg as Algorithm,
    created: created * 1000,
    ...(typeof expires === 'number' ? { expires: expires * 1000 } : {}),
    signature: new Uint8Array(bytes),
  }
}
