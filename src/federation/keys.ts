import type { SqlDatabase } from '../store/d1'

/** An actor's key pair: the public half as PEM (what actors publish), the private as a key. */
export interface ActorKeys {
  publicKeyPem: string
  privateKey: CryptoKey
}

/** RSASSA-PKCS1-v1_5 with SHA-256: `rsa-sha256` of draft-cavage §2.3, what Mastodon signs with. */
export const RSA_SHA256 = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const

function base64Of(bytes: ArrayBuffer): string {
  let binary = ''
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte)
  return btoa(binary)
}

/** SPKI bytes as a PEM `PUBLIC KEY` block (RFC 7468 §13), lines of 64 characters. */
export function pemOf(spki: ArrayBuffer): string {
  const lines = base64Of(spki).match(/.{1,64}/g) ?? []
  return `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`
}

/** The SPKI bytes of a PEM `PUBLIC KEY` block; throws naming the block when it is not one. */
export function spkiOf(pem: string): Uint8Array {
  const match = /-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\s]+)-----END PUBLIC KEY-----/.exec(pem)
  if (!match?.[1]) throw new Error(`not a PEM public key: ${pem.slice(0, 40)}`)
  return Uint8Array.from(atob(match[1].replace(/\s+/g, '')), (c) => c.charCodeAt(0))
}

async function generate(): Promise<{ publicKeyPem: string; privateJwk: string }> {
  const pair = (await crypto.subtle.generateKey(
    { ...RSA_SHA256, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair
  const spki = (await crypto.subtle.exportKey('spki', pair.publicKey)) as ArrayBuffer
  const jwk = await crypto.subtle.exportKey('jwk', pair.privateKey)
  return { publicKeyPem: pemOf(spki), privateJwk: JSON.stringify(jwk) }
}

const cache = new Map<string, Promise<ActorKeys>>()

async function load(db: SqlDatabase, handle: string, now: number): Promise<ActorKeys> {
  let row = await db
    .prepare('SELECT public_key_pem, private_key_jwk FROM actor_keys WHERE handle = ?')
    .bind(handle)
    .first<{ public_key_pem: string; private_key_jwk: string }>()
  if (!row) {
    // Generated once: two isolates racing both insert-or-ignore, and both read the winner's.
    const fresh = await generate()
    await db
      .prepare(
        'INSERT OR IGNORE INTO actor_keys (handle, public_key_pem, private_key_jwk, created_at) VALUES (?, ?, ?, ?)',
      )
      .bind(handle, fresh.publicKeyPem, fresh.privateJwk, now)
      .run()
    row = await db
      .prepare('SELECT public_key_pem, private_key_jwk FROM actor_keys WHERE handle = ?')
      .bind(handle)
      .first<{ public_key_pem: string; private_key_jwk: string }>()
    if (!row) throw new Error(`actor key of ${handle} was not stored`)
  }
  const privateKey = await crypto.subtle.importKey(
    'jwk',
    JSON.parse(row.private_key_jwk) as JsonWebKey,
    RSA_SHA256,
    false,
    ['sign'],
  )
  return { publicKeyPem: row.public_key_pem, privateKey }
}

/** The keys of the actor `handle`, generated and stored in D1 the first time it is asked for. */
export function keysOf(db: SqlDatabase, handle: string, now: number): Promise<ActorKeys> {
  let keys = cache.get(handle)
  if (!keys) {
    keys = load(db, handle, now)
    // A failed load (D1 down) is not kept: the next request tries again.
    keys.catch(() => cache.delete(handle))
    cache.set(handle, keys)
  }
  return keys
}
