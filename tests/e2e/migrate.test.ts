import { execFileSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from '../../scripts/content-files'
import { buildIn, projectCopy } from '../../scripts/project-copy'
import { uuidFromLink } from '../../src/migrate/plan'
import { readWithFeedparser } from '../helpers/readers'
import {
  checkAtomRelaxNg,
  checkAtomRules,
  checkJsonFeed,
  checkWellFormed,
  parseWithFeedparser,
} from '../helpers/validators'
import { type RunningWorker, startWorker } from '../helpers/worker'

// A WordPress site moved in: `npm run migrate` over the shipped content, then `npm run build`
// and the Worker, in a copy of the project.
const FIXTURES = join(import.meta.dirname, '../migrate/fixtures')
const MIGRATED = [
  'https://old.example.com/?p=101',
  'https://old.example.com/?p=102',
  uuidFromLink('https://old.example.com/2026/01/10/before-guids/'),
  'https://old.example.com/?p=105',
]
let dir: string
let site: string
let worker: RunningWorker
let report = ''

function migrate(...sources: string[]): string {
  return execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      'scripts/migrate.ts',
      ...sources,
      '--root',
      site,
      '--utc-offset',
      '+01:00',
      '--now',
      '2026-12-01T00:00:00Z',
    ],
    { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  )
}

const git = (...args: string[]) => execFileSync('git', args, { cwd: site, encoding: 'utf8' })

beforeAll(async () => {
  const work = mkdtempSync(join(tmpdir(), 'newswire-migrate-'))
  dir = projectCopy(join(work, 'project'))
  site = join(work, 'site')
  cpSync(join(ROOT, 'content'), join(site, 'content'), { recursive: true })
  cpSync(join(ROOT, 'feeds'), join(site, 'feeds'), { recursive: true })
  report = migrate(join(FIXTURES, 'wordpress.xml'), join(FIXTURES, 'feeds/atom.xml'))
  git('init', '-q')
  git('add', '-A')
  git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'migrated')
  buildIn(dir, site)
  worker = await startWorker({ config: join(dir, 'wrangler.toml') })
}, 300_000)

afterAll(() => worker?.dispose())

// WordPress's addresses of feeds and articles, and where each now lives.
const MOVED: [string, string][] = [
  ['/feed/', '/rss.xml'],
  ['/feed/atom/', '/atom.xml'],
  ['/?feed=rss2', '/rss.xml'],
  ['/category/news/world/feed/', '/categories/world/rss.xml'],
  ['/tag/%e6%9d%b1%e4%ba%ac/feed/', '/tags/%E6%9D%B1%E4%BA%AC/rss.xml'],
  ['/author/jdoe/feed/', '/authors/jdoe/rss.xml'],
  ['/2026/03/02/harbour-reopens/', '/articles/harbour-reopens/'],
  [
    '/2026/03/05/%d0%bc%d0%b8%d1%80-%d0%b8-%d0%b3%d0%b0%d0%b2%d0%b0%d0%bd%d1%8c/',
    '/articles/%D0%BC%D0%B8%D1%80-%D0%B8-%D0%B3%D0%B0%D0%B2%D0%B0%D0%BD%D1%8C/',
  ],
]

describe('a WordPress site moved in with npm run migrate', () => {
  it('reports what it imported and what it skipped', () => {
    expect(report).toContain('articles: 6 imported, 0 updated, 0 unchanged, 1 scheduled')
    expect(report).toContain('skipped 1: a draft')
    expect(report).toContain('comments: 2 (never imported)')
  })

  it('every migrated item keeps its GUID in RSS, Atom and JSON, and every feed is valid', async () => {
    const rss = await (await worker.get('/rss.xml')).text()
    const atom = await (await worker.get('/atom.xml')).text()
    const json = (await (await worker.get('/feed.json')).json()) as { items: { id: string }[] }
    expect(checkWellFormed(rss)).toBe(true)
    expect(checkAtomRelaxNg(atom)).toBe('')
    expect(checkAtomRules(atom)).toEqual([])
    expect(checkJsonFeed(json)).toEqual([])
    for (const feed of [rss, atom]) expect(parseWithFeedparser(feed).bozo).toBe(false)
    const guids = new Set(
      [...rss.matchAll(/<guid isPermaLink="false">([^<]*)<\/guid>/g)].map((m) =>
        m[1]?.replace(/&amp;/g, '&'),
      ),
    )
    const ids = new Set(
      [...atom.matchAll(/<entry>\s*<id>([^<]*)<\/id>/g)].map((m) => m[1]?.replace(/&amp;/g, '&')),
    )
    const jsonIds = new Set(json.items.map((item) => item.id))
    for (const id of [...MIGRATED, 'tag:log.example.net,2026:entry-42']) {
      expect(guids, id).toContain(id)
      expect(ids, id).toContain(id)
      expect(jsonIds, id).toContain(id)
    }
    // A reader sees the migrated items by the ids it already had.
    expect(readWithFeedparser(rss).map((item) => item.id)).toEqual(expect.arrayContaining(MIGRATED))
  })

  it.each(MOVED)('the old address %s answers 301 to %s, which answers 200', async (from, to) => {
    const moved = await worker.get(from, { redirect: 'manual' })
    expect(moved.status).toBe(301)
    const location = new URL(moved.headers.get('location') as string)
    expect(location.pathname).toBe(to)
    const answer = await worker.get(location.pathname)
    expect(answer.status).toBe(200)
    expect(answer.headers.get('content-type')).toMatch(
      to.endsWith('.xml') ? /^application\/(rss|atom)\+xml/ : /^text\/html/,
    )
  })

  it.each(MOVED.filter(([, to]) => to.endsWith('.xml')))(
    'the feed %s moved to, %s, is well-formed and bozo-free',
    async (_from, to) => {
      const body = await (await worker.get(to)).text()
      expect(checkWellFormed(body)).toBe(true)
      expect(parseWithFeedparser(body).bozo).toBe(false)
    },
  )

  it('comment feeds are gone: 410', async () => {
    expect((await worker.get('/comments/feed/', { redirect: 'manual' })).status).toBe(410)
  })

  it('running it again changes no file', () => {
    const again = migrate(join(FIXTURES, 'wordpress.xml'), join(FIXTURES, 'feeds/atom.xml'))
    expect(again).toContain('articles: 0 imported, 0 updated, 6 unchanged')
    expect(git('status', '--porcelain')).toBe('')
  })

  it('a broken export writes nothing and says where', () => {
    const broken = join(mkdtempSync(join(tmpdir(), 'newswire-broken-')), 'export.xml')
    execFileSync('sh', [
      '-c',
      `sed 's#</wp:post_name>#</wp:post_nam>#' "${join(FIXTURES, 'wordpress.xml')}" > "${broken}"`,
    ])
    let failure = ''
    try {
      migrate(broken)
    } catch (error) {
      failure = String((error as { stderr: string }).stderr)
    }
    expect(failure).toMatch(/^export\.xml:\d+:\d+: Expected closing tag 'wp:post_name'/m)
    expect(failure).toMatch(/nothing was written\.$/m)
    expect(git('status', '--porcelain')).toBe('')
    expect(readFileSync(join(site, 'content/redirects.yaml'), 'utf8')).toContain('- from: /feed/')
  })
})
