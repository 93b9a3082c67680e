import { readD1Migrations } from '@cloudflare/vitest-pool-workers'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DeliveryMessage } from '../../src/federation/delivery'
import { deliverDeploy } from '../../src/federation/deploys'
import type { FederationEnv } from '../../src/federation/env'
import { addFollower } from '../../src/federation/followers'
import { objectUrl } from '../../src/federation/urls'
import type { Article } from '../../src/model/types'
import { asyncD1, D1_RUNNER } from '../helpers/async-d1'
import { makeArticle, makeCategory, makeTag } from '../helpers/builders'
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
  mf = new Miniflare({ modules: true, script: D1_RUNNER, d1Databases: ['FEDERATION'] })
  const db = asyncD1(mf, 'FEDERATION')
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

describe('deliverDeploy: what a deploy removes or moves', () => {
  // Continues the builds above: `kept` and `moving` are told of in build-10 (Creates).
  const kept = makeArticle({ published: at(4), updated: at(4) })
  const moving = makeArticle({
    published: at(3),
    updated: at(3),
    categories: [makeCategory({ slug: 'culture', name: 'Culture' })],
  })
  const id = moving.id

  const objectRow = (articleId: string) =>
    fed.db
      .prepare('SELECT slug, deleted_at FROM objects WHERE article_id = ?')
      .bind(articleId)
      .first<{ slug: string; deleted_at: number | null }>()

  it('tells of two new articles, one in culture, whose follower is on another server', async () => {
    // A fresh start: the archive recorded by a first run, then a build that adds two.
    await fed.db.batch(
      ['announced', 'objects', 'state'].map((table) => fed.db.prepare(`DELETE FROM ${table}`)),
    )
    expect(await deploy('build-9', old)).toEqual([])
    await addFollower(
      fed.db,
      'culture',
      {
        origin: 'https://news.test',
        actor: 'https://other.test/users/bob',
        inbox: 'https://other.test/users/bob/inbox',
        followId: 'https://other.test/f/2',
      },
      NOW,
    )
    // Oldest first: `kept`'s Create; then `moving`'s, per inbox in order: bob's Announce, alice's Create.
    expect(await deploy('build-10', [moving, kept, ...old])).toEqual([
      'Create site',
      'Announce culture',
      'Create site',
    ])
  })

  it('sends an Update, not a Delete and a Create, when a slug changes and the id stays', async () => {
    const renamed = { ...moving, slug: 'a-new-slug' }
    const from = sent.length
    expect(await deploy('build-11', [renamed, kept, ...old])).toEqual([
      'Update site',
      'Update site',
    ])
    // Its `updated` is the deploy's: Mastodon applies an Update only with a later edit time.
    for (const message of sent.slice(from))
      expect(JSON.parse(message.body).object.updated).toBe(new Date(NOW).toISOString())
    expect(await objectRow(id)).toEqual({ slug: 'a-new-slug', deleted_at: null })
  })

  it('sends an Update when the feeds change and `updated` does not, to the followers of the feed it left too', async () => {
    const from = sent.length
    const moved = { ...moving, slug: 'a-new-slug', categories: [makeCategory()] }
    expect(await deploy('build-12', [moved, kept, ...old])).toEqual(['Update site', 'Update site'])
    expect(sent.slice(from).map((m) => m.inbox)).toEqual([
      'https://other.test/users/bob/inbox',
      'https://peer.test/inbox',
    ])
  })

  it('sends nothing when nothing changed', async () => {
    const moved = { ...moving, slug: 'a-new-slug', categories: [makeCategory()] }
    expect(await deploy('build-13', [moved, kept, ...old])).toEqual([])
  })

  it('sends a Delete for a told article the deploy removes, and its id answers 410 from then', async () => {
    const from = sent.length
    const moved = { ...moving, slug: 'a-new-slug', categories: [makeCategory()] }
    // `kept` goes; old[2], recorded on the first run and never told of, goes too: nothing for it.
    expect(await deploy('build-14', [moved, old[0], old[1]] as Article[])).toEqual(['Delete site'])
    const [message] = sent.slice(from)
    expect(message?.inbox).toBe('https://peer.test/inbox')
    const activity = JSON.parse(message?.body ?? '{}')
    expect(activity.type).toBe('Delete')
    expect(activity.object).toEqual({
      id: objectUrl('https://news.test', kept.id),
      type: 'Tombstone',
    })
    expect(await objectRow(kept.id)).toEqual({ slug: kept.slug, deleted_at: NOW })
    const rows = await fed.db
      .prepare('SELECT slug FROM announced ORDER BY slug')
      .all<{ slug: string }>()
    expect(rows.results.map((r) => r.slug)).toEqual(
      ['a-new-slug', old[0]?.slug, old[1]?.slug].sort(),
    )
  })

  it('sends a Delete, to the followers of its feeds then, for a told article scheduled again for later', async () => {
    const from = sent.length
    const later = {
      ...moving,
      slug: 'a-new-slug',
      categories: [makeCategory({ slug: 'culture', name: 'Culture' })],
      published: new Date(NOW + 3_600_000).toISOString(),
    }
    expect(await deploy('build-15', [later, old[0], old[1]] as Article[])).toEqual([
      'Delete site',
      'Delete site',
    ])
    expect(sent.slice(from).map((m) => m.inbox)).toEqual([
      'https://other.test/users/bob/inbox',
      'https://peer.test/inbox',
    ])
    expect((await objectRow(id))?.deleted_at).toBe(NOW)
  })

  // Told of from build-17 on, and kept in every build after it.
  const second = makeArticle({ published: at(2), updated: at(2), slug: 'taken-slug' })

  it('sends a Delete for a told article whose slug a new article takes, before the new one’s Create', async () => {
    const first = makeArticle({ published: at(3), updated: at(3), slug: 'taken-slug' })
    expect(await deploy('build-16', [first, old[0], old[1]] as Article[])).toEqual(['Create site'])
    expect(await deploy('build-17', [second, old[0], old[1]] as Article[])).toEqual([
      'Delete site',
      'Create site',
    ])
    expect((await objectRow(first.id))?.deleted_at).toBe(NOW)
    expect(await objectRow(second.id)).toEqual({ slug: 'taken-slug', deleted_at: null })
  })

  it('sends the Delete on the next run when the run that marked the object stopped before sending', async () => {
    const gone = makeArticle({ published: at(1), updated: at(1) })
    expect(await deploy('build-18', [gone, second, old[0], old[1]] as Article[])).toEqual([
      'Create site',
    ])
    const send = fed.send
    fed.send = async () => {
      throw new Error('queue unavailable')
    }
    try {
      await expect(deploy('build-19', [second, old[0], old[1]] as Article[])).rejects.toThrow(
        'queue unavailable',
      )
    } finally {
      fed.send = send
    }
    expect(await deploy('build-19', [second, old[0], old[1]] as Article[])).toEqual(['Delete site'])
    expect(await deploy('build-20', [second, old[0], old[1]] as Article[])).toEqual([])
  })
})

describe('deliverDeploy: an article moved into a feed', () => {
  it('has the feed it moved into announce it to followers there who were never told of it', async () => {
    await fed.db.batch(
      ['announced', 'objects', 'state'].map((table) => fed.db.prepare(`DELETE FROM ${table}`)),
    )
    expect(await deploy('build-30', old)).toEqual([])
    const music = makeTag({ slug: 'music', name: 'MUSIC' })
    const story = makeArticle({ published: at(2), updated: at(2) })
    // alice follows the site: she is told of it.
    expect(await deploy('build-31', [story, ...old])).toEqual(['Create site'])
    // carol, on a third server, follows only the music tag, which the story is not in yet.
    await addFollower(
      fed.db,
      'tag__music',
      {
        origin: 'https://news.test',
        actor: 'https://third.test/users/carol',
        inbox: 'https://third.test/users/carol/inbox',
        followId: 'https://third.test/f/3',
      },
      NOW,
    )
    const from = sent.length
    expect(await deploy('build-32', [{ ...story, tags: [music] }, ...old])).toEqual([
      'Update site',
      'Update site',
      'Announce tag__music',
    ])
    // Her server has no copy for the Update to change: the music tag's Announce brings it.
    expect(sent.slice(from).map((m) => m.inbox)).toEqual([
      'https://peer.test/inbox',
      'https://third.test/users/carol/inbox',
      'https://third.test/users/carol/inbox',
    ])
    const announce = JSON.parse(sent.at(-1)?.body ?? '{}') as { actor: string; object: string }
    expect(announce.actor).toBe('https://news.test/ap/actors/tag__music')
    expect(announce.object).toBe(objectUrl('https://news.test', story.id))
    // She was told through the music tag: another edit is an Update alone.
    expect(await deploy('build-33', [{ ...story, tags: [music], updated: at(1) }, ...old])).toEqual(
      ['Update site', 'Update site'],
    )
  })
})
