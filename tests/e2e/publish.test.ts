import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseWithFeedparser } from '../helpers/validators'
import { type RunningWorker, startWorker } from '../helpers/worker'

const TOKEN = 'e2e-publish-token-0123456789abcdef'
const ID = 'f0e0d0c0-0000-4000-8000-000000000001'

interface Ping {
  mode: string | null
  topics: string[]
}

let hub: Server
let hubUrl: string
const pings: Ping[] = []
let worker: RunningWorker

// A local WebSub hub: it records each publish notification and accepts it.
function startHub(): Promise<void> {
  hub = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk) => {
      body += chunk
    })
    request.on('end', () => {
      const form = new URLSearchParams(body)
      pings.push({ mode: form.get('hub.mode'), topics: form.getAll('hub.url') })
      response.writeHead(204).end()
    })
  })
  return new Promise((resolve) => hub.listen(0, '127.0.0.1', () => resolve()))
}

async function until<T>(check: () => T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

beforeAll(async () => {
  await startHub()
  const address = hub.address()
  hubUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hub`
  const persist = mkdtempSync(join(tmpdir(), 'newswire-d1-'))
  execFileSync(
    'sh',
    [
      'scripts/wrangler.sh',
      'd1',
      'migrations',
      'apply',
      'newswire',
      '--local',
      '--env',
      'd1',
      '--persist-to',
      persist,
    ],
    {
      stdio: 'pipe',
      env: { ...process.env, CI: '1' },
    },
  )
  worker = await startWorker({ env: 'd1', vars: { API_TOKEN: TOKEN, WEBSUB_HUB: hubUrl }, persist })
}, 60_000)

afterAll(async () => {
  await worker?.dispose()
  hub?.close()
})

describe('publishing on the D1 store, through the real Worker', () => {
  it('announces the hub in feeds, links and headers', async () => {
    const response = await worker.get('/rss.xml')
    expect(response.headers.get('link')).toBe(
      `<${hubUrl}>; rel="hub", <${new URL('/rss.xml', worker.url).href}>; rel="self"`,
    )
    const links = parseWithFeedparser(await response.text()).feed.links
    expect(links).toContainEqual({ rel: 'hub', href: hubUrl })
    const json = (await (await worker.get('/feed.json')).json()) as { hubs: unknown }
    expect(json.hubs).toEqual([{ type: 'WebSub', url: hubUrl }])
  })

  it('publishes, shows the article in its feeds, and pings the hub with every feed it touched', async () => {
    const before = await worker.get('/categories/security/atom.xml')
    const etag = before.headers.get('etag')
    await before.arrayBuffer()
    const response = await worker.get(`/api/articles/${ID}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'Patch Tuesday fixes a zero-day',
        author: 'sean-endicott',
        published: '2026-11-10T18:00:00Z',
        categories: ['security'],
        tags: ['Patch Tuesday'],
        body: 'Microsoft fixed **one** zero-day.',
      }),
    })
    expect(response.status).toBe(201)
    const after = await worker.get('/categories/security/atom.xml')
    expect(after.headers.get('etag')).not.toBe(etag)
    expect(after.headers.get('x-cache')).toBe('MISS')
    const entries = parseWithFeedparser(await after.text()).entries
    expect(entries.map((e) => e.title)).toEqual(['Patch Tuesday fixes a zero-day'])

    const ping = await until(() => pings.at(-1))
    expect(ping.mode).toBe('publish')
    for (const path of [
      'rss.xml',
      'categories/security/atom.xml',
      'authors/sean-endicott/feed.json',
      'tags/patch-tuesday/rss.xml',
      'feeds/security-threats/rss.xml',
    ]) {
      expect(ping.topics, path).toContain(`http://127.0.0.1:8787/${path}`)
    }
    expect(ping.topics).not.toContain('http://127.0.0.1:8787/categories/microsoft/rss.xml')
  })

  it('deletes, and the article is gone from every feed', async () => {
    const response = await worker.get(`/api/articles/${ID}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${TOKEN}` },
    })
    expect(response.status).toBe(204)
    for (const path of [
      '/rss.xml',
      '/categories/security/rss.xml',
      '/authors/sean-endicott/atom.xml',
      '/feed.json',
    ]) {
      expect(await (await worker.get(path)).text(), path).not.toContain('zero-day')
    }
    expect((await worker.get('/tags/patch-tuesday/rss.xml')).status).toBe(404)
  })
})
