import { afterEach, describe, expect, it, vi } from 'vitest'
import { remoteKey } from '../../src/federation/inbox'

const PEM_ALICE = '-----BEGIN PUBLIC KEY-----\nALICE\n-----END PUBLIC KEY-----\n'
const PEM_MALLORY = '-----BEGIN PUBLIC KEY-----\nMALLORY\n-----END PUBLIC KEY-----\n'
const unsigned = async () => ({})

// Documents by URL, as the remote servers would answer them; anything else is a 404.
function serve(documents: Record<string, unknown>): void {
  vi.stubGlobal('fetch', async (input: URL | string) => {
    const url = String(input)
    return url in documents ? Response.json(documents[url]) : new Response('no', { status: 404 })
  })
}

// Each test names its own hosts: fetched documents are kept per isolate.
function aliceOn(host: string) {
  const actor = `https://${host}/users/alice`
  return {
    actor,
    keyId: `${actor}#main-key`,
    document: {
      id: actor,
      type: 'Person',
      inbox: `${actor}/inbox`,
      publicKey: { id: `${actor}#main-key`, owner: actor, publicKeyPem: PEM_ALICE },
    },
  }
}

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('remoteKey: a key counts as its owner’s only when the owner lists it', () => {
  it('reads a key from its owner’s own document', async () => {
    const alice = aliceOn('social-1.test')
    serve({ [alice.actor]: alice.document })
    expect(await remoteKey(alice.keyId, true, unsigned)).toEqual({
      publicKeyPem: PEM_ALICE,
      owner: alice.actor,
    })
  })

  it('refuses a key published elsewhere that names someone else as its owner', async () => {
    const alice = aliceOn('social-2.test')
    const forged = 'https://evil-2.test/k'
    serve({
      [alice.actor]: alice.document,
      [forged]: { id: forged, owner: alice.actor, publicKeyPem: PEM_MALLORY },
    })
    expect(await remoteKey(forged, true, unsigned)).toBeUndefined()
  })

  it('refuses a document that claims to be the owner from another address', async () => {
    const alice = aliceOn('social-3.test')
    const forged = 'https://evil-3.test/users/alice'
    serve({
      [forged]: {
        ...alice.document,
        publicKey: { id: `${forged}#main-key`, owner: alice.actor, publicKeyPem: PEM_MALLORY },
      },
      [alice.actor]: alice.document,
    })
    expect(await remoteKey(`${forged}#main-key`, true, unsigned)).toBeUndefined()
  })

  it('accepts a key kept at its own address when the owner lists it, with the same key', async () => {
    const alice = aliceOn('social-4.test')
    const keyId = 'https://social-4.test/keys/1'
    serve({
      [keyId]: { id: keyId, owner: alice.actor, publicKeyPem: PEM_ALICE },
      [alice.actor]: {
        ...alice.document,
        publicKey: [
          alice.document.publicKey,
          { id: keyId, owner: alice.actor, publicKeyPem: PEM_ALICE },
        ],
      },
    })
    expect(await remoteKey(keyId, true, unsigned)).toEqual({
      publicKeyPem: PEM_ALICE,
      owner: alice.actor,
    })
  })
})
