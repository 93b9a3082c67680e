import { createHash, generateKeyPairSync, KeyObject, type webcrypto } from 'node:crypto'
import { createSigner, createVerifier, httpbis } from 'http-message-signatures'
import { describe, expect, it } from 'vitest'
import { checkContentDigest, contentDigestOf } from '../../src/federation/content-digest'
import { pemOf, RSA_SHA256 } from '../../src/federation/keys'
import { signMessage } from '../../src/federation/message-signature'
import { DATE_WINDOW_MS, verifyInboxRequest } from '../../src/federation/verify'

// RFC 9421 interoperability: newswire's signatures checked by an independent implementation
// (`http-message-signatures`, signing and verifying with Node's crypto), and the reverse.
const NOW = Date.parse('2026-03-02T09:00:00Z')
const TARGET = 'https://news.test/ap/actors/science/inbox'
const ACTOR = 'https://peer.test/users/alice'
const KEY_ID = `${ACTOR}#main-key`
const follow = {
  id: `${ACTOR}#f`,
  type: 'Follow',
  actor: ACTOR,
  object: 'https://news.test/ap/actors/science',
}
const BODY = JSON.stringify(follow)

const pair = (await crypto.subtle.generateKey(
  { ...RSA_SHA256, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
  true,
  ['sign', 'verify'],
)) as CryptoKeyPair
const rsaPem = pemOf((await crypto.subtle.exportKey('spki', pair.publicKey)) as ArrayBuffer)
const rsaPrivate = KeyObject.from(pair.privateKey as webcrypto.CryptoKey)
const rsaPublic = KeyObject.from(pair.publicKey as webcrypto.CryptoKey)
const lookup = async () => ({ publicKeyPem: rsaPem, owner: ACTOR })

// The Content-Digest as Node's own hash makes it (RFC 9530 §2), independent of newswire's.
function digest(body: string): string {
  return `sha-256=:${createHash('sha256').update(body).digest('base64')}:`
}

// A POST signed by the independent library over `fields`, as a peer that speaks RFC 9421 would.
async function theirs(
  options: {
    fields?: string[]
    key?: ReturnType<typeof createSigner>
    created?: number
    body?: string
  } = {},
) {
  const body = options.body ?? BODY
  const signed = await httpbis.signMessage(
    {
      key: options.key ?? createSigner(rsaPrivate, 'rsa-v1_5-sha256', KEY_ID),
      fields: options.fields ?? ['@method', '@target-uri', 'content-digest'],
      params: ['created', 'keyid', 'alg'],
      paramValues: { created: new Date(options.created ?? NOW) },
    },
    {
      method: 'POST',
      url: TARGET,
      headers: { 'content-type': 'application/activity+json', 'content-digest': digest(body) },
    },
  )
  return {
    method: 'POST',
    url: TARGET,
    headers: new Headers(signed.headers as Record<string, string>),
  }
}

const bytes = (text: string) => new TextEncoder().encode(text)

describe('Content-Digest (RFC 9530)', () => {
  it('matches the example of RFC 9530 §2 for {"hello": "world"}', async () => {
    expect(await contentDigestOf(bytes('{"hello": "world"}'))).toBe(
      'sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:',
    )
  })

  it('accepts a sha-512 digest and refuses one of another body', async () => {
    const sha512 = `sha-512=:${createHash('sha512').update(BODY).digest('base64')}:`
    expect(await checkContentDigest(sha512, bytes(BODY))).toBeUndefined()
    expect(await checkContentDigest(sha512, bytes(`${BODY} `))).toBe(
      'Content-Digest does not match the body',
    )
  })

  it('refuses a digest that names only an algorithm it does not compute', async () => {
    expect(await checkContentDigest('md5=:AAAA:', bytes(BODY))).toBe(
      'Content-Digest holds neither sha-256 nor sha-512',
    )
  })
})

describe('signMessage (RFC 9421), checked by http-message-signatures', () => {
  it('produces a signature the independent library verifies', async () => {
    const headers = await signMessage(new URL(TARGET), BODY, KEY_ID, pair.privateKey, Date.now())
    expect(headers['content-digest']).toBe(digest(BODY))
    expect(headers['signature-input']).toMatch(
      /^sig1=\("@method" "@target-uri" "content-digest"\);created=\d+;keyid="https:\/\/peer\.test\/users\/alice#main-key";alg="rsa-v1_5-sha256"$/,
    )
    const verified = await httpbis.verifyMessage(
      {
        keyLookup: async (params) =>
          params.keyid === KEY_ID
            ? {
                id: KEY_ID,
                algs: ['rsa-v1_5-sha256'],
                verify: createVerifier(rsaPublic, 'rsa-v1_5-sha256'),
              }
            : null,
        requiredFields: ['@method', '@target-uri', 'content-digest'],
      },
      { method: 'POST', url: TARGET, headers },
    )
    expect(verified).toBe(true)
  })

  it('produces a signature the independent library refuses once the target changes', async () => {
    const headers = await signMessage(new URL(TARGET), BODY, KEY_ID, pair.privateKey, Date.now())
    expect(
      await httpbis.verifyMessage(
        {
          keyLookup: async () => ({
            id: KEY_ID,
            algs: ['rsa-v1_5-sha256'],
            verify: createVerifier(rsaPublic, 'rsa-v1_5-sha256'),
          }),
        },
        { method: 'POST', url: 'https://news.test/ap/inbox', headers },
      ),
    ).toBe(false)
  })
})

describe('verifyInboxRequest with RFC 9421 signatures made by http-message-signatures', () => {
  it('accepts rsa-v1_5-sha256 over @method @target-uri content-digest, as rfc9421', async () => {
    expect(await verifyInboxRequest(await theirs(), bytes(BODY), NOW, lookup)).toEqual({
      activity: follow,
      actor: ACTOR,
      scheme: 'rfc9421',
    })
  })

  it('accepts @authority with @path in place of @target-uri', async () => {
    const request = await theirs({ fields: ['@method', '@authority', '@path', 'content-digest'] })
    expect(await verifyInboxRequest(request, bytes(BODY), NOW, lookup)).toMatchObject({
      scheme: 'rfc9421',
    })
  })

  it('accepts ed25519 (RFC 9421 §3.3.6)', async () => {
    const ed = generateKeyPairSync('ed25519')
    const request = await theirs({ key: createSigner(ed.privateKey, 'ed25519', KEY_ID) })
    const pem = ed.publicKey.export({ type: 'spki', format: 'pem' }).toString()
    expect(
      await verifyInboxRequest(request, bytes(BODY), NOW, async () => ({
        publicKeyPem: pem,
        owner: ACTOR,
      })),
    ).toMatchObject({ actor: ACTOR, scheme: 'rfc9421' })
  })

  it.each([
    ['a body changed after signing', async () => ({ request: await theirs(), body: `${BODY} ` })],
    [
      'a signature that does not cover the body',
      async () => ({ request: await theirs({ fields: ['@method', '@target-uri'] }), body: BODY }),
    ],
    [
      'a signature that does not cover the target',
      async () => ({
        request: await theirs({ fields: ['@method', 'content-digest'] }),
        body: BODY,
      }),
    ],
    [
      'a signature created outside the window',
      async () => ({ request: await theirs({ created: NOW - DATE_WINDOW_MS - 1000 }), body: BODY }),
    ],
    [
      'a signature made with another key',
      async () => {
        const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
        const key = createSigner(other.privateKey, 'rsa-v1_5-sha256', KEY_ID)
        return { request: await theirs({ key }), body: BODY }
      },
    ],
    [
      'a Signature-Input that is not a Dictionary',
      async () => {
        const request = await theirs()
        request.headers.set('signature-input', 'sig1=("@method" "@target-uri"')
        return { request, body: BODY }
      },
    ],
  ])('refuses %s with 401', async (_, make) => {
    const { request, body } = await make()
    expect(await verifyInboxRequest(request, bytes(body), NOW, lookup)).toMatchObject({
      status: 401,
    })
  })

  it('refuses a key owned by another actor with 401', async () => {
    const request = await theirs()
    expect(
      await verifyInboxRequest(request, bytes(BODY), NOW, async () => ({
        publicKeyPem: rsaPem,
        owner: 'https://peer.test/users/mallory',
      })),
    ).toMatchObject({ status: 401, message: `key ${KEY_ID} is not ${ACTOR}'s` })
  })
})
