import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_TOKEN } from '../helpers/tokens'
import { type RunningWorker, startWorker } from '../helpers/worker'
import { type Peer, type Received, startPeer } from './peer'

const TOKEN = API_TOKEN
const ARTICLE = 'a1b2c3d4-0000-4000-8000-00000000fed1'
const AP = { accept: 'application/activity+json' }

let peer: Peer
let worker: RunningWorker
let origin: string

function migrate(database: string, persist: string) {
  execFileSync(
    'sh',
    [
      'scripts/wrangler.sh',
      'd1',
      'migrations',
      'apply',
      database,
      '--local',
      '--env',
      'd1',
      '--persist-to',
      persist,
    ],
    { stdio: 'pipe', env: { ...process.env, CI: '1' } },
  )
}

async function until<T>(check: () => T | undefined, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

const arrived = (type: string, from?: string) => () =>
  peer.received.find(
    (r: Received) => r.activity.type === type && (!from || r.activity.actor === from),
  )

beforeAll(async () => {
  peer = await startPeer()
  const persist = mkdtempSync(join(tmpdir(), 'newswire-fed-'))
  migrate('newswire', persist)
  migrate('newswire-federation', persist)
  worker = await startWorker({
    env: 'd1',
    vars: { API_TOKEN: TOKEN, FEDERATION_DEV: '1' },
    persist,
  })
  origin = worker.url.origin
}, 90_000)

afterAll(async () => {
  await worker?.dispose()
  peer?.close()
})

describe('a second fediverse server follows a feed through the real Worker', () => {
  it('discovers the Security category by WebFinger', async () => {
    const host = worker.url.host
    const response = await worker.get(`/.well-known/webfinger?resource=acct:security@${host}`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/jrd+json; charset=utf-8')
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    const jrd = (await response.json()) as {
      subject: string
      links: { rel: string; type: string; href: string }[]
    }
    expect(jrd.subject).toBe(`acct:security@${host}`)
    expect(jrd.links).toContainEqual({
      rel: 'self',
      type: 'application/activity+json',
      href: `${origin}/ap/actors/security`,
    })
  })

  it('answers the actor on its id and on the page URL, and HTML to a browser', async () => {
    const actor = (await (
      await worker.get('/ap/actors/security', { headers: AP })
    ).json()) as Record<string, unknown>
    expect(actor.type).toBe('Service')
    expect(actor.preferredUsername).toBe('security')
    expect(actor.inbox).toBe(`${origin}/ap/actors/security/inbox`)
    expect((actor.endpoints as Record<string, string>).sharedInbox).toBe(`${origin}/ap/inbox`)
    expect((actor.publicKey as Record<string, string>).publicKeyPem).toMatch(
      /^-----BEGIN PUBLIC KEY-----\n/,
    )
    const byPage = await worker.get('/categories/security/', { headers: AP })
    expect(byPage.headers.get('content-type')).toBe('application/activity+json; charset=utf-8')
    expect(((await byPage.json()) as { id: string }).id).toBe(actor.id)
    const html = await worker.get('/categories/security/', { headers: { accept: 'text/html' } })
    expect(html.headers.get('content-type')).toMatch(/^text\/html/)
    expect(html.headers.get('vary')).toMatch(/Accept/)
    await html.text()
  })

  it('refuses unsigned, tampered and malformed requests before storing anything', async () => {
    const follow = {
      id: `${peer.actor}#follows/x`,
      type: 'Follow',
      actor: peer.actor,
      object: `${origin}/ap/actors/security`,
    }
    expect(
      (await peer.post(`${origin}/ap/actors/security/inbox`, follow, { sign: false })).status,
    ).toBe(401)
    expect(
      (await peer.post(`${origin}/ap/actors/security/inbox`, follow, { tamper: true })).status,
    ).toBe(401)
    const malformed = await worker.get('/ap/inbox', {
      method: 'POST',
      body: '{"type":',
      headers: { 'content-type': 'application/activity+json' },
    })
    expect(malformed.status).toBe(400)
    const huge = await worker.get('/ap/inbox', { method: 'POST', body: 'x'.repeat(70_000) })
    expect(huge.status).toBe(413)
    const followers = (await (
      await worker.get('/ap/actors/security/followers', { headers: AP })
    ).json()) as { totalItems: number }
    expect(followers.totalItems).toBe(0)
  })

  it('follows the site (alice) and Security (bob), and gets signed Accepts', async () => {
    for (const [handle, as] of [
      ['site', 'alice'],
      ['security', 'bob'],
    ] as const) {
      const actor = `${peer.origin}/users/${as}`
      const follow = {
        '@context': 'https://www.w3.org/ns/activitystreams',
        id: `${actor}#follows/${handle}`,
        type: 'Follow',
        actor,
        object: `${origin}/ap/actors/${handle}`,
      }
      expect((await peer.post(`${origin}/ap/actors/${handle}/inbox`, follow, { as })).status).toBe(
        202,
      )
      const accept = await until(arrived('Accept', `${origin}/ap/actors/${handle}`))
      expect(accept.verified).toBe(true)
      expect((accept.activity.object as { id: string }).id).toBe(follow.id)
    }
    const followers = (await (
      await worker.get('/ap/actors/security/followers', { headers: AP })
    ).json()) as { totalItems: number }
    expect(followers.totalItems).toBe(1)
  })

  it('delivers a publish: a Create from the site actor and an Announce from Security, once each to the shared inbox', async () => {
    const response = await worker.get(`/api/articles/${ARTICLE}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'Patch Tuesday fixes a zero-day',
        summary: 'Microsoft fixed one zero-day.',
        author: 'sean-endicott',
        published: '2025-11-10T18:00:00Z',
        categories: ['security'],
        tags: ['Patch Tuesday'],
        body: 'Microsoft fixed **one** zero-day.',
      }),
    })
    expect(response.status).toBe(201)
    const create = await until(arrived('Create'))
    expect(create.verified).toBe(true)
    expect(create.path).toBe('/inbox')
    const object = create.activity.object as Record<string, unknown>
    expect(object.type).toBe('Note')
    expect(object.content).toContain('Patch Tuesday fixes a zero-day')
    expect(object.tag).toEqual([
      { type: 'Hashtag', href: `${origin}/tags/patch-tuesday/`, name: '#PatchTuesday' },
    ])
    const announce = await until(arrived('Announce', `${origin}/ap/actors/security`))
    expect(announce.verified).toBe(true)
    expect(announce.activity.object).toBe(object.id)
    const fetched = await worker.get(new URL(String(object.id)).pathname, { headers: AP })
    expect(fetched.status).toBe(200)
    expect(((await fetched.json()) as { id: string }).id).toBe(object.id)
    await new Promise((resolve) => setTimeout(resolve, 1500))
    expect(peer.received.filter((r) => r.activity.type === 'Create')).toHaveLength(1)
    expect(peer.received.filter((r) => r.activity.type === 'Announce')).toHaveLength(1)
  })

  it('sends Delete when the article is removed, and its object answers 410', async () => {
    const response = await worker.get(`/api/articles/${ARTICLE}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${TOKEN}` },
    })
    expect(response.status).toBe(204)
    const deleted = await until(arrived('Delete'))
    expect(deleted.verified).toBe(true)
    const id = String((deleted.activity.object as { id: string }).id)
    const gone = await worker.get(new URL(id).pathname, { headers: AP })
    expect(gone.status).toBe(410)
    expect(((await gone.json()) as { type: string }).type).toBe('Tombstone')
  })

  it('stops following on Undo', async () => {
    const bob = `${peer.origin}/users/bob`
    const undo = {
      id: `${bob}#undo/security`,
      type: 'Undo',
      actor: bob,
      object: {
        id: `${bob}#follows/security`,
        type: 'Follow',
        actor: bob,
        object: `${origin}/ap/actors/security`,
      },
    }
    expect((await peer.post(`${origin}/ap/inbox`, undo, { as: 'bob' })).status).toBe(202)
    const followers = (await (
      await worker.get('/ap/actors/security/followers', { headers: AP })
    ).json()) as { totalItems: number }
    expect(followers.totalItems).toBe(0)
  })
})
