import { describe, expect, it } from 'vitest'
import { pemOf } from '../../src/federation/keys'
import { signRequest } from '../../src/federation/signature'
import { DATE_WINDOW_MS, verifyInboxRequest } from '../../src/federation/verify'

const NOW = Date.parse('2026-03-02T09:00:00Z')
const URL_ = new URL('https://news.test/ap/inbox')
const ACTOR = 'https://peer.test/users/alice'
const KEY_ID = `${ACTOR}#main-key`

async function keyPair() {
  const pair = (await crypto.subtle.generateKey(
    {
      name: 'RSASSA-PKCS1-v1_5',
      hash: 'SHA-256',
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
    },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair
  return {
    pem: pemOf((await crypto.subtle.exportKey('spki', pair.publicKey)) as ArrayBuffer),
    key: pair.privateKey,
  }
}

const { pem, key } = await keyPair()
const lookup = async () => ({ publicKeyPem: pem, owner: ACTOR })

async function signed(activity: unknown, at = NOW, edit?: (body: string) => string) {
  const body = JSON.stringify(activity)
  const headers = await signRequest('POST', URL_, body, KEY_ID, key, at)
  const sent = edit ? edit(body) : body
  return {
    request: { method: 'POST', url: URL_.href, headers: new Headers(headers) },
    body: new TextEncoder().encode(sent),
  }
}

const follow = {
  id: `${ACTOR}#f`,
  type: 'Follow',
  actor: ACTOR,
  object: 'https://news.test/ap/actors/site',
}

describe('verifyInboxRequest', () => {
  it('accepts a request signed by the actor within the window', async () => {
    const { request, body } = await signed(follow)
    expect(await verifyInboxRequest(request, body, NOW, lookup)).toEqual({
      activity: follow,
      actor: ACTOR,
      scheme: 'cavage',
    })
  })

  it('refuses a replay outside the Date window with 401', async () => {
    const { request, body } = await signed(follow, NOW - DATE_WINDOW_MS - 1000)
    expect(await verifyInboxRequest(request, body, NOW, lookup)).toMatchObject({ status: 401 })
  })

  it('refuses a body changed after signing with 401 (Digest)', async () => {
    const { request, body } = await signed(follow, NOW, (b) => b.replace('site', 'security'))
    expect(await verifyInboxRequest(request, body, NOW, lookup)).toMatchObject({
      status: 401,
      message: 'Digest does not match the body',
    })
  })

  it('refuses a key owned by another actor with 401', async () => {
    const { request, body } = await signed({ ...follow, actor: 'https://peer.test/users/mallory' })
    expect(await verifyInboxRequest(request, body, NOW, lookup)).toMatchObject({ status: 401 })
  })

  it('refuses a signature made with another key with 401', async () => {
    const other = await keyPair()
    const { request, body } = await signed(follow)
    expect(
      await verifyInboxRequest(request, body, NOW, async () => ({
        publicKeyPem: other.pem,
        owner: ACTOR,
      })),
    ).toMatchObject({ status: 401, message: 'the signature does not verify' })
  })

  it('refuses malformed JSON with 400 before any key lookup', async () => {
    let looked = 0
    const { request } = await signed(follow)
    const result = await verifyInboxRequest(
      request,
      new TextEncoder().encode('{"type":'),
      NOW,
      async () => {
        looked++
        return undefined
      },
    )
    expect(result).toMatchObject({ status: 400 })
    expect(looked).toBe(0)
  })
})
