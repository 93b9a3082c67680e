import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Newsroom, startNewsroom } from './harness'
import { type Peer, startPeer } from './peer'

// Mastodon in secure mode (AUTHORIZED_FETCH) answers 401 to an unsigned GET of an actor or key;
// the peer plays that server, checking signatures with PeerTube's library.
let room: Newsroom
let peer: Peer

beforeAll(async () => {
  room = await startNewsroom()
  peer = await startPeer({ authorizedFetch: true })
}, 60_000)

afterAll(async () => {
  await room?.close()
  peer?.close()
})

describe('a server in authorized-fetch mode', () => {
  it('refuses an unsigned GET of its actor with 401', async () => {
    const response = await fetch(peer.actor, { headers: { accept: 'application/activity+json' } })
    await response.body?.cancel()
    expect(response.status).toBe(401)
  })

  it('can follow a feed: its key is fetched by a GET signed as the site actor, and it gets the Accept', async () => {
    const follow = {
      id: `${peer.actor}#follows/science`,
      type: 'Follow',
      actor: peer.actor,
      object: `${room.origin}/ap/actors/science`,
    }
    const answer = await peer.post(`${room.origin}/ap/actors/science/inbox`, follow)
    expect(answer.status).toBe(202)
    expect(peer.fetched).toContainEqual({
      path: '/users/alice',
      signedBy: `${room.origin}/ap/actors/site#main-key`,
    })
    await room.drain()
    const accept = peer.received.find((r) => r.activity.type === 'Accept')
    expect(accept?.verified).toBe(true)
    expect(accept?.activity.object).toMatchObject({ id: follow.id })
  })
})
