import { readD1Migrations } from '@cloudflare/vitest-pool-workers'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DeliveryMessage } from '../../src/federation/delivery'
import { deliverDeploy } from '../../src/federation/deploys'
import type { FederationEnv } from '../../src/federation/env'
import { addFollower } from '../../src/federation/followers'
import type { Article } from '../../src/model/types'
import type { SqlDatabase } from '../../src/store/d1'
import { makeArticle } from '../helpers/builders'
import { contractCatalog } from '../helpers/catalog'
import { bareStore } from '../helpers/stores'

const NOW = Date.parse('2026-03-02T09:00:00Z')
const catalog = contractCatalog()
let mf: Miniflare
let fed: FederationEnv
const sent: DeliveryMessage[] = []

const at = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString()
const old = [1, 2, 3].map((i) => makeArticle({ published: at(100 + i), updated: at(100 + i) }))

// What one deploy sends: `type actor` of each message, in order.
async function deploy(build: string, articles: Article[]): Promise<string[]> {
  const from = sent.length
  const { store } = bareStore(catalog, articles, NOW)
  await deliverDeploy(store, fed, NOW, build)
  return sent.slice(from).map((m) => {
    const activity = JSON.parse(m.body) as { type: string; object: { name?: string } | string }
    return `${activity.type} ${m.handle}`
  })
}

beforeAll(async () => {
  mf = new Miniflare({ modules: true, script: 'export default {}', d1Databases: ['FEDERATION'] })
  const db = (await mf.getD1Database('FEDERATION')) as unknown as SqlDatabase
  for (const migration of await readD1Migrations('migrations-federation'))
    for (const query of migration.queries) await db.prepare(query).run()
  fed = { db, development: true, send: async (messages) => void sent.push(...messages) }
  await addFollower(
    db,
    'site',
    {
      origin: 'https://news.test',
      actor: 'https://peer.test/users/alice',
      inbox: 'https://peer.test/users/alice/inbox',
      sharedInbox: 'https://peer.test/inbox',
      followId: 'https://peer.test/f/1',
    },
    NOW,
  )
})

afterAll(async () => {
  await mf?.dispose()
})

describe('deliverDeploy: the bundled store tells followers what a deploy adds', () => {
  it('records an existing archive on its first run and sends nothing', async () => {
    expect(await deploy('build-1', old)).toEqual([])
    const row = await fed.db.prepare('SELECT count(*) AS n FROM announced').first<{ n: number }>()
    expect(row?.n).toBe(3)
  })

  it('sends nothing again for the same build', async () => {
    const added = makeArticle({ published: at(5), updated: at(5) })
    expect(await deploy('build-1', [added, ...old])).toEqual([])
  })

  it('sends a Create for each article a new build adds and an Update for each it edited', async () => {
    const added = makeArticle({ published: at(5), updated: at(5) })
    const edited = { ...old[1], updated: at(10) } as Article
    const scheduled = makeArticle({ published: new Date(NOW + 60_000).toISOString() })
    expect(
      await deploy('build-2', [scheduled, added, old[0], edited, old[2]] as Article[]),
    ).toEqual(['Update site', 'Create site'])
    // The next build with nothing new sends nothing.
    expect(
      await deploy('build-3', [scheduled, added, old[0], edited, old[2]] as Article[]),
    ).toEqual([])
  })
})
