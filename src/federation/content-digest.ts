import { parseDictionary, serializeDictionary } from 'structured-headers'

// RFC 9530 §5: the hash algorithms a Content-Digest may name that this Worker computes; the
// others (md5, sha, unixsum…) are deprecated or insecure and ignored.
const ALGORITHMS = { 'sha-256': 'SHA-256', 'sha-512': 'SHA-512' } as const

type Algorithm = keyof typeof ALGORITHMS

async function hashOf(algorithm: Algorithm, body: Uint8Array): Promise<ArrayBuffer> {
  return crypto.subtle.digest(ALGORITHMS[algorithm], body)
}

/** The RFC 9530 `Content-Digest` of a body: a Dictionary with its `sha-256` Byte Sequence. */
export async function contentDigestOf(body: Uint8Array): Promise<string> {
  return serializeDictionary(new Map([['sha-256', [await hashOf('sha-256', body), new Map()]]]))
}

function sameBytes(a: ArrayBuffer, b: ArrayBuffer): boolean {
  const [x, y] = [new Uint8Array(a), new Uint8Array(b)]
  return x.length === y.length && x.every((byte, i) => byte === y[i])
}

/**
 * Why a `Content-Digest` value does not vouch for `body`, or undefined when it does: it must
 * parse as an RFC 9651 Dictionary (RFC 9530 §2), hold sha-256 or sha-512, and every one of
 * those it holds must match.
 */
export async function checkContentDigest(
  value: string | null,
  body: Uint8Array,
): Promise<string | undefined> {
  if (value === null) return 'Content-Digest is missing'
  let members: ReturnType<typeof parseDictionary>
  try {
    members = parseDictionary(value)
  } catch {
    // Not a Structured Field: no digest to compare.
    return `Content-Digest ${value.slice(0, 100)} is not a Dictionary`
  }
  const known = [...members].filter(([name]) => name in ALGORITHMS)
  if (known.length === 0) return 'Content-Digest holds neither sha-256 nor sha-512'
  for (const [name, member] of known) {
    const bytes = member[0]
    if (!(bytes instanceof ArrayBuffer)) return `Content-Digest ${name} is not a Byte Sequence`
    if (!sameBytes(bytes, await hashOf(name as Algorithm, body)))
      return 'Content-Digest does not match the body'
  }
  return undefined
}
