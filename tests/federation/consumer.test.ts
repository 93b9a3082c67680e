import { createServer } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONCURRENCY, consumeDeliveries } from '../../src/federation/consumer'
import { CLAIM_MS } from '../../src/federation/delivery'
import type { SqlDatabase } from '../../src/store/d1'
import { type Newsroom, startNewsroom } from './harness'

// Workers allow six simultaneous open connections per invocation: the consumer sends a batch's
// deliveries six at a time, never more, and each exactly once.
const HOLD_MS = 300
let room: Newsroom
let inbox: { origin: string; posts: string[]; most: number; close(): void }

beforeAll(async () => {
  room = await startNewsroom()
  let open = 0
  const posts: string[] = []
  const state = { most: 0 }
  const server = createServer((req, res) => {
    open += 1
    state.most = Math.max(state.most, open)
    posts.push(req.url ?? '')
    req.resume()
    setTimeout(() => {
      open -= 1
      res.writeHead(202).end()
    }, HOLD_MS)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  inbox = {
    origin: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    posts,
    get most() {
      return state.most
    },
    close: () => server.close(),
  }
}, 60_000)

afterAll(async () => {
  await room?.close()
  inbox?.close()
})

describe('consumeDeliveries', () => {
  it('sends a batch of 20 six at a time, each once, and acknowledges every message', async () => {
    const acked: number[] = []
    const messages = Array.from({ length: 20 }, (_, i) => ({
      body: {
        activityId: `${room.origin}/ap/activities/${i}`,
        handle: 'site',
        origin: room.origin,
        inbox: `${inbox.origin}/s${i}/inbox`,
        body: JSON.stringify({ type: 'Create', n: i }),
      },
      attempts: 1,
      ack: () => void acked.push(i),
      retry: () => {
        throw new Error(`message ${i} was retried`)
      },
    }))
    await consumeDeliveries({ messages }, room.env, room.now)
    expect(CONCURRENCY).toBe(6)
    expect(inbox.most).toBe(6)
    expect([...inbox.posts].sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `/s${i}/inbox`).sort(),
    )
    expect(acked.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i))
  })

  // One message as the queue hands it to a consumer, recording what the consumer did with it.
  function delivery(path: string, did: string[]) {
    return {
      body: {
        activityId: `${room.origin}/ap/activities${path}`,
        handle: 'site',
        origin: room.origin,
        inbox: `${inbox.origin}${path}/inbox`,
        body: JSON.stringify({ type: 'Create', path }),
      },
      attempts: 1,
      ack: () => void did.push('ack'),
      retry: (options?: { delaySeconds?: number }) =>
        void did.push(`retry ${options?.delaySeconds}`),
    }
  }
  const postsTo = (path: string) => inbox.posts.filter((p) => p === `${path}/inbox`).length

  it('sends a message redelivered while another consumer sends it once, and retries the copy after the claim', async () => {
    const first: string[] = []
    const second: string[] = []
    // Queues deliver at least once: the same message reaches two consumers at once.
    await Promise.all([
      consumeDeliveries({ messages: [delivery('/twice', first)] }, room.env, room.now),
      consumeDeliveries({ messages: [delivery('/twice', second)] }, room.env, room.now),
    ])
    expect(postsTo('/twice')).toBe(1)
    expect([...first, ...second].sort()).toEqual(['ack', `retry ${CLAIM_MS / 1000}`])
    // The copy comes back after the claim: the delivery is done, so it is acknowledged unsent.
    const later: string[] = []
    await consumeDeliveries(
      { messages: [delivery('/twice', later)] },
      room.env,
      room.now + CLAIM_MS,
    )
    expect(later).toEqual(['ack'])
    expect(postsTo('/twice')).toBe(1)
  })

  it('sends a message whose consumer died while sending once its claim has lapsed, not before', async () => {
    const db = room.env.FEDERATION as SqlDatabase
    const message = delivery('/orphan', [])
    // A consumer claimed it and stopped before it could say how the POST went.
    await db
      .prepare(
        `INSERT INTO deliveries (activity_id, inbox, status, attempts, updated_at)
         VALUES (?, ?, 'sending', 0, ?)`,
      )
      .bind(message.body.activityId, message.body.inbox, room.now)
      .run()
    const early: string[] = []
    await consumeDeliveries(
      { messages: [delivery('/orphan', early)] },
      room.env,
      room.now + CLAIM_MS - 1,
    )
    expect(early).toEqual([`retry ${CLAIM_MS / 1000}`])
    expect(postsTo('/orphan')).toBe(0)
    const lapsed: string[] = []
    await consumeDeliveries(
      { messages: [delivery('/orphan', lapsed)] },
      room.env,
      room.now + CLAIM_MS,
    )
    expect(lapsed).toEqual(['ack'])
    expect(postsTo('/orphan')).toBe(1)
    const row = await db
      .prepare('SELECT status, attempts FROM deliveries WHERE activity_id = ?')
      .bind(message.body.activityId)
      .first<{ status: string; attempts: number }>()
    expect(row).toEqual({ status: 'done', attempts: 1 })
  })
})
