import { createServer } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONCURRENCY, consumeDeliveries } from '../../src/federation/consumer'
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
})
