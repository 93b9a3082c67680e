import * as v from 'valibot'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SiteSchema } from '../../src/content/schema'
import type { FederationSettings } from '../../src/model/types'
import type { SqlDatabase } from '../../src/store/d1'
import { contractCatalog } from '../helpers/catalog'
import { type Newsroom, startNewsroom, TOKEN } from './harness'
import { type Peer, startPeer } from './peer'

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE
const AUTH = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }

let room: Newsroom
let gone: Peer
let flaky: Peer
let recovering: Peer
let blocked: Peer
const settings: FederationSettings = { objectType: 'Article', blocked: [] }
let n = 0

async function publish(): Promise<void> {
  n += 1
  const response = await room.fetch(
    `/api/articles/urn:uuid:dddddddd-0000-4000-8000-${String(n).padStart(12, '0')}`,
    {
      method: 'PUT',
      headers: AUTH,
      body: JSON.stringify({
        title: `Story ${n}`,
        summary: 'What happened.',
        author: 'ada-lovelace',
        published: new Date(room.now - MINUTE).toISOString(),
        categories: ['science'],
        tags: [],
        body: 'Paragraph **one**.',
      }),
    },
  )
  expect(response.status).toBe(201)
  // Every delivery runs to its end: the clock jumps to each retry's time.
  for (;;) {
    await room.drain()
    if (room.queue.length === 0) break
    room.now = Math.max(room.now, Math.min(...room.queue.map((m) => m.notBefore)))
  }
}

async function follow(on: Peer): Promise<number> {
  const actor = `${on.origin}/users/alice`
  const activity = {
    id: `${actor}#f`,
    type: 'Follow',
    actor,
    object: `${room.origin}/ap/actors/site`,
  }
  const { status } = await on.post(`${room.origin}/ap/actors/site/inbox`, activity)
  await room.drain()
  return status
}

async function followed(on: Peer): Promise<boolean> {
  const row = await room.db
    .prepare('SELECT count(*) AS n FROM followers WHERE server = ?')
    .bind(new URL(on.origin).host)
    .first<{ n: number }>()
  return (row?.n ?? 0) > 0
}

const sentTo = (on: Peer) => room.sent.filter((m) => m.inbox === `${on.origin}/inbox`).length

beforeAll(async () => {
  const catalog = contractCatalog()
  catalog.site = { ...catalog.site, federation: settings }
  room = await startNewsroom({ catalog })
  ;[gone, flaky, recovering, blocked] = await Promise.all([
    startPeer(),
    startPeer(),
    startPeer(),
    startPeer(),
  ])
  for (const peer of [gone, flaky, recovering, blocked]) expect(await follow(peer)).toBe(202)
}, 60_000)

afterAll(async () => {
  await room?.close()
  for (const peer of [gone, flaky, recovering, blocked]) peer?.close()
})

describe('followers that go away are pruned', () => {
  it('sends the object type site.yaml chose: an Article with name, summary and the full text', async () => {
    await publish()
    const create = gone.received.find((r) => r.activity.type === 'Create')
    const object = create?.activity.object as Record<string, unknown>
    expect(object.type).toBe('Article')
    expect(object.name).toBe('Story 1')
    expect(object.summary).toBe('What happened.')
    expect(object.content).toBe('<p>Paragraph <strong>one</strong>.</p>')
  })

  it('prunes every follow through an inbox that answers 410 Gone, and sends it nothing more', async () => {
    gone.failNext.push(410)
    await publish()
    expect(await followed(gone)).toBe(false)
    const before = sentTo(gone)
    await publish()
    expect(sentTo(gone)).toBe(before)
  })

  it('prunes an inbox that failed every delivery for 7 days, not one that succeeded between', async () => {
    const start = room.now
    flaky.failNext.push(...Array<number>(100).fill(500))
    recovering.failNext.push(...Array<number>(8).fill(503))
    await publish()
    expect([await followed(flaky), await followed(recovering)]).toEqual([true, true])
    room.now = start + DAY
    await publish()
    // Its retries run for about 21 minutes: all of them within the 7 days.
    room.now = start + 7 * DAY - 30 * MINUTE
    await publish()
    expect([await followed(flaky), await followed(recovering)]).toEqual([true, true])
    // The streak keeps its start and the time of its latest failure, which the dashboard shows.
    const streak = await (room.env.FEDERATION as SqlDatabase)
      .prepare('SELECT since, last_status, last_failed_at FROM inbox_failures WHERE inbox LIKE ?')
      .bind(`${flaky.origin}%`)
      .first<{ since: number; last_status: number; last_failed_at: number }>()
    expect(streak?.since).toBe(start)
    expect(streak?.last_status).toBe(500)
    expect(streak?.last_failed_at).toBeGreaterThanOrEqual(start + 7 * DAY - 30 * MINUTE)
    room.now = start + 7 * DAY + MINUTE
    recovering.failNext.push(503)
    await publish()
    // flaky's streak began at `start`: over 7 days. recovering's began a minute ago.
    expect([await followed(flaky), await followed(recovering)]).toEqual([false, true])
  })

  it('refuses Follows from a blocked server with 403, removes its followers and sends it nothing', async () => {
    settings.blocked = ['127.0.0.1']
    const before = sentTo(blocked)
    const { status } = await blocked.post(`${room.origin}/ap/inbox`, {
      id: `${blocked.origin}/users/bob#f`,
      type: 'Follow',
      actor: `${blocked.origin}/users/bob`,
      object: `${room.origin}/ap/actors/site`,
    })
    expect(status).toBe(403)
    await publish()
    expect(await followed(blocked)).toBe(false)
    expect(sentTo(blocked)).toBe(before)
    settings.blocked = []
  })
})

describe('site.yaml federation:', () => {
  const base = {
    title: 'T',
    description: 'D',
    url: 'https://news.example',
    language: 'en',
    copyright: 'C',
  }

  it('defaults to Note and no blocked server', () => {
    const parsed = v.parse(SiteSchema, { ...base, federation: {} })
    expect(parsed.federation).toEqual({ object_type: 'Note', blocked: [] })
  })

  it('takes Article and lowercases blocked domains', () => {
    const parsed = v.parse(SiteSchema, {
      ...base,
      federation: { object_type: 'Article', blocked: ['Spam.Example'] },
    })
    expect(parsed.federation).toEqual({ object_type: 'Article', blocked: ['spam.example'] })
  })

  it('refuses another type, and a blocked entry that is not a domain', () => {
    expect(v.safeParse(SiteSchema, { ...base, federation: { object_type: 'Page' } }).success).toBe(
      false,
    )
    expect(
      v.safeParse(SiteSchema, { ...base, federation: { blocked: ['https://spam.example/'] } })
        .success,
    ).toBe(false)
  })
})
