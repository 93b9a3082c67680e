import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PAGE_CSP } from '../../src/http/headers'
import type { SqlDatabase } from '../../src/store/d1'
import { type Newsroom, startNewsroom, TOKEN } from './harness'
import { type Peer, startPeer } from './peer'

const MINUTE = 60_000
const AUTH = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }
const AP = { accept: 'application/activity+json' }

let room: Newsroom
let peer: Peer
let other: Peer
let n = 0

const newId = () => `urn:uuid:cccccccc-0000-4000-8000-${String(++n).padStart(12, '0')}`

function story(overrides: Record<string, unknown> = {}) {
  return {
    title: `Story ${n}`,
    summary: 'What happened.',
    author: 'ada-lovelace',
    published: new Date(room.now - MINUTE).toISOString(),
    categories: ['science'],
    tags: ['Engines'],
    body: 'Paragraph one.',
    ...overrides,
  }
}

async function put(id: string, body: unknown): Promise<number> {
  const response = await room.fetch(`/api/articles/${id}`, {
    method: 'PUT',
    headers: AUTH,
    body: JSON.stringify(body),
  })
  await response.text()
  return response.status
}

async function follow(on: Peer, as: string, handle: string): Promise<void> {
  const activity = {
    id: `${on.origin}/users/${as}#follows/${handle}`,
    type: 'Follow',
    actor: `${on.origin}/users/${as}`,
    object: `${room.origin}/ap/actors/${handle}`,
  }
  const answer = await on.post(`${room.origin}/ap/actors/${handle}/inbox`, activity, { as })
  expect(answer.status, `${as} follows ${handle}`).toBe(202)
  await room.drain()
}

// What one peer's shared inbox received since `from`, as `type actor-handle` lines.
function inboxOf(on: Peer, from = 0): string[] {
  return on.received
    .slice(from)
    .filter((r) => r.path === '/inbox' && r.activity.type !== 'Accept')
    .map((r) => `${r.activity.type} ${String(r.activity.actor).split('/').pop()}`)
}

beforeAll(async () => {
  room = await startNewsroom()
  peer = await startPeer()
  other = await startPeer()
  // A first story, before anyone follows, so that the Engines tag feed exists.
  expect(await put(newId(), story())).toBe(201)
  await follow(peer, 'alice', 'site')
  await follow(peer, 'bob', 'site')
  for (const handle of ['science', 'author__ada_lovelace', 'tag__engines', 'feed__picks'])
    await follow(peer, 'alice', handle)
  await follow(other, 'dave', 'science')
  await follow(other, 'dave', 'tag__engines')
  await follow(other, 'erin', 'culture')
}, 60_000)

afterAll(async () => {
  await room?.close()
  peer?.close()
  other?.close()
})

describe('deliveries to a second server, on a clock the test moves', () => {
  it('sends one Create to a shared inbox for two followers, and one activity for a person following five of its feeds', async () => {
    const [mark, otherMark] = [peer.received.length, other.received.length]
    room.now += MINUTE
    expect(await put(newId(), story())).toBe(201)
    await room.drain()
    // alice follows the site, Science, Ada, Engines and Picks; bob the site: one Create.
    expect(inboxOf(peer, mark)).toEqual(['Create site'])
    // dave follows Science and Engines, not the site: one Announce, from Science.
    expect(inboxOf(other, otherMark)).toEqual(['Announce science'])
    expect(peer.received.slice(mark).every((r) => r.verified)).toBe(true)
    expect(other.received.slice(otherMark).every((r) => r.verified)).toBe(true)
  })

  it('sends Update on an edit, from the site actor, to every inbox that was told, same object id', async () => {
    const id = newId()
    room.now += MINUTE
    const first = story({ title: 'Before the edit' })
    expect(await put(id, first)).toBe(201)
    await room.drain()
    const created = peer.received.at(-1)?.activity.object as { id: string }
    const [mark, otherMark] = [peer.received.length, other.received.length]
    room.now += MINUTE
    expect(await put(id, { ...first, title: 'After the edit' })).toBe(200)
    await room.drain()
    expect(inboxOf(peer, mark)).toEqual(['Update site'])
    expect(inboxOf(other, otherMark)).toEqual(['Update site'])
    const update = peer.received.at(-1)
    expect(update?.verified).toBe(true)
    const object = update?.activity.object as { id: string; content: string; updated: string }
    expect(object.id).toBe(created.id)
    expect(object.content).toContain('After the edit')
    expect(object.updated).toBe(new Date(room.now).toISOString())
  })

  it('has the feed an edit moves a story into announce it to those there who were never told', async () => {
    const id = newId()
    room.now += MINUTE
    const first = story()
    expect(await put(id, first)).toBe(201)
    await room.drain()
    const [mark, otherMark] = [peer.received.length, other.received.length]
    room.now += MINUTE
    // Into Culture as well: erin, on the other server, follows Culture alone.
    expect(await put(id, { ...first, categories: ['science', 'culture'] })).toBe(200)
    await room.drain()
    expect(inboxOf(peer, mark)).toEqual(['Update site'])
    // dave (Science) had it and gets the Update; erin's Culture announces it to her.
    expect(inboxOf(other, otherMark)).toEqual(['Update site', 'Announce culture'])
  })

  it('delivers a scheduled story at its minute, never before', async () => {
    const at = room.now + 2 * MINUTE
    const mark = peer.received.length
    expect(await put(newId(), story({ published: new Date(at).toISOString() }))).toBe(201)
    await room.drain()
    expect(inboxOf(peer, mark)).toEqual([])
    room.now += MINUTE
    await room.cron()
    await room.drain()
    expect(inboxOf(peer, mark)).toEqual([])
    room.now += MINUTE
    expect(room.now).toBe(at)
    await room.cron()
    await room.drain()
    expect(inboxOf(peer, mark)).toEqual(['Create site'])
    const create = peer.received.at(-1)?.activity as { published: string }
    expect(create.published).toBe(new Date(at).toISOString())
  })

  it('retries after two 500s and delivers once, exactly; a redelivered message is not sent again', async () => {
    room.now += MINUTE
    const mark = peer.received.length
    peer.failNext.push(500, 500)
    expect(await put(newId(), story({ categories: ['culture'], tags: [] }))).toBe(201)
    // erin (culture) is on the other server; alice and bob (site) here.
    expect(await room.drain()).toBe(1)
    expect(inboxOf(peer, mark)).toEqual([])
    expect(room.queue.map((m) => m.attempts)).toEqual([2])
    room.now += 10_000
    await room.drain()
    expect(inboxOf(peer, mark)).toEqual([])
    room.now += 20_000
    await room.drain()
    expect(inboxOf(peer, mark)).toEqual(['Create site'])
    expect(room.queue).toEqual([])
    const delivered = room.sent.filter((m) => m.inbox === `${peer.origin}/inbox`).at(-1)
    const state = await room.db
      .prepare(
        'SELECT status, attempts, last_status FROM deliveries WHERE activity_id = ? AND inbox = ?',
      )
      .bind(delivered?.activityId, delivered?.inbox)
      .first()
    expect(state).toEqual({ status: 'done', attempts: 3, last_status: 202 })
    // The queue hands the same message over again (at-least-once): it is not POSTed twice.
    room.queue.push({ body: delivered as never, attempts: 1, notBefore: 0 })
    await room.drain()
    expect(inboxOf(peer, mark)).toEqual(['Create site'])
  })

  it('serves outboxes that say what each actor sent: the site Creates, the others Announce', async () => {
    type Item = {
      type: string
      actor: string
      object: string | { id: string; attributedTo: string }
    }
    const page = async (handle: string) =>
      (
        (await (
          await room.fetch(`/ap/actors/${handle}/outbox?page=1`, { headers: AP })
        ).json()) as {
          orderedItems: Item[]
        }
      ).orderedItems
    const site = await page('site')
    const science = await page('science')
    expect(science.length).toBeGreaterThan(0)
    const created = new Set(
      site.map((item) => {
        expect(item.type).toBe('Create')
        const object = item.object as { id: string; attributedTo: string }
        expect(object.attributedTo).toBe(`${room.origin}/ap/actors/site`)
        return object.id
      }),
    )
    for (const item of science) {
      expect(item).toMatchObject({ type: 'Announce', actor: `${room.origin}/ap/actors/science` })
      expect(created.has(item.object as string), String(item.object)).toBe(true)
    }
  })

  it('serves the followers collections the follows made', async () => {
    const site = await room.fetch('/ap/actors/site/followers', { headers: AP })
    expect(((await site.json()) as { totalItems: number }).totalItems).toBe(2)
    const science = await room.fetch('/ap/actors/science/followers', { headers: AP })
    expect(((await science.json()) as { totalItems: number }).totalItems).toBe(2)
  })

  it('shows each feed page its handle with a copy button, under the same CSP, and lists every handle', async () => {
    const host = new URL(room.origin).host
    for (const [path, handle] of [
      ['/', 'site'],
      ['/categories/science/', 'science'],
      ['/tags/engines/', 'tag__engines'],
    ] as const) {
      const response = await room.fetch(path)
      expect(response.headers.get('content-security-policy')).toBe(PAGE_CSP)
      expect(await response.text()).toContain(
        `<li class="fediverse"><span class="format">Follow on Mastodon</span><code>@${handle}@${host}</code><button type="button" class="copy" data-copy="@${handle}@${host}"`,
      )
    }
    const list = (await (await room.fetch('/fediverse.json')).json()) as {
      actors: { handle: string; actor: string }[]
    }
    expect(list.actors[0]).toMatchObject({
      handle: `@site@${host}`,
      actor: `${room.origin}/ap/actors/site`,
    })
    expect(list.actors.map((a) => a.handle)).toContain(`@feed__picks@${host}`)
  })

  it('gives a page another ETag when federation is off, without the handle', async () => {
    const on = await room.fetch('/categories/science/')
    const etag = on.headers.get('etag')
    await on.text()
    const { FEDERATION } = room.env
    delete room.env.FEDERATION
    try {
      const off = await room.fetch('/categories/science/', {
        headers: { 'if-none-match': String(etag) },
      })
      expect(off.status).toBe(200)
      expect(off.headers.get('etag')).not.toBe(etag)
      expect(await off.text()).not.toContain('Follow on Mastodon')
    } finally {
      room.env.FEDERATION = FEDERATION as SqlDatabase
    }
  })
})
