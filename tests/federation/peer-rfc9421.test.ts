import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Newsroom, startNewsroom } from './harness'
import { type Peer, startPeer } from './peer'

// Deliveries answer in kind: a server whose requests carry RFC 9421 signatures gets RFC 9421
// signatures back (checked by http-message-signatures), the others draft-cavage (checked by
// PeerTube's library).
let room: Newsroom
let modern: Peer
let classic: Peer
let halfway: Peer

beforeAll(async () => {
  room = await startNewsroom()
  modern = await startPeer()
  classic = await startPeer()
  halfway = await startPeer({ refuseRfc9421: true })
}, 60_000)

afterAll(async () => {
  await room?.close()
  for (const peer of [modern, classic, halfway]) peer?.close()
})

function followOf(peer: Peer, handle: string) {
  return {
    id: `${peer.actor}#follows/${handle}`,
    type: 'Follow',
    actor: peer.actor,
    object: `${room.origin}/ap/actors/${handle}`,
  }
}

async function acceptsOf(peer: Peer, handle: string, scheme: 'rfc9421' | 'cavage') {
  const answer = await peer.post(
    `${room.origin}/ap/actors/${handle}/inbox`,
    followOf(peer, handle),
    {
      scheme,
    },
  )
  expect(answer.status).toBe(202)
  await room.drain()
  return peer.received.filter((r) => r.activity.type === 'Accept')
}

describe('signatures in kind', () => {
  it('answers a Follow signed with RFC 9421 by an Accept signed with RFC 9421', async () => {
    const accepts = await acceptsOf(modern, 'science', 'rfc9421')
    expect(accepts.map((r) => [r.scheme, r.verified])).toEqual([['rfc9421', true]])
    const row = await room.db
      .prepare('SELECT scheme FROM signature_schemes WHERE server = ?')
      .bind(new URL(modern.origin).host)
      .first<{ scheme: string }>()
    expect(row?.scheme).toBe('rfc9421')
  })

  it('answers a Follow signed with draft-cavage by an Accept signed with draft-cavage', async () => {
    const accepts = await acceptsOf(classic, 'science', 'cavage')
    expect(accepts.map((r) => [r.scheme, r.verified])).toEqual([['cavage', true]])
  })

  it('falls back to draft-cavage, once, for a server that refuses RFC 9421 with 401', async () => {
    const accepts = await acceptsOf(halfway, 'science', 'rfc9421')
    expect(accepts.map((r) => [r.scheme, r.verified])).toEqual([['cavage', true]])
  })

  it('refuses an RFC 9421 Follow whose body was changed after signing with 401', async () => {
    const answer = await modern.post(
      `${room.origin}/ap/actors/culture/inbox`,
      followOf(modern, 'culture'),
      { scheme: 'rfc9421', tamper: true },
    )
    expect(answer.status).toBe(401)
    expect(answer.text).toBe('Content-Digest does not match the body\n')
  })
})
