import { execFileSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { ROOT } from '../../scripts/content-files'
import { buildIn, projectCopy } from '../../scripts/project-copy'
import {
  checkAtomRelaxNg,
  checkAtomRules,
  checkJsonFeed,
  checkWellFormed,
  parseWithFeedparser,
} from '../helpers/validators'
import { type RunningWorker, startWorker } from '../helpers/worker'

// Each real site's file (../shared/real-world/README.md) moved into a fresh copy of the project
// as shipped with `npm run migrate`, built and served: the feeds valid, the old addresses
// answering, nothing a reader saw lost.
const REAL = join(ROOT, '../shared/real-world')
const work = mkdtempSync(join(tmpdir(), 'newswire-migrate-real-'))

interface Moved {
  site: string
  report: string
  worker: RunningWorker
}

// Each site gets a project copy of its own: a running Worker reloads when its copy is built
// again, so two sites built in one copy would serve the later one's content from both.
async function moveIn(file: string): Promise<Moved> {
  const site = join(work, file)
  const dir = projectCopy(join(work, `${file}.project`))
  cpSync(join(ROOT, 'content'), join(site, 'content'), { recursive: true })
  cpSync(join(ROOT, 'feeds'), join(site, 'feeds'), { recursive: true })
  const report = execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      'scripts/migrate.ts',
      join(REAL, file),
      '--root',
      site,
      '--now',
      '2026-12-01T00:00:00Z',
    ],
    { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  )
  buildIn(dir, site)
  return { site, report, worker: await startWorker({ config: join(dir, 'wrangler.toml') }) }
}

// Each site is moved in once (migrate, build, start: seconds each); the tests of this file that
// look at one site share that move, and every Worker stops when the file is done.
const moves = new Map<string, Promise<Moved>>()
function movedIn(file: string): Promise<Moved> {
  const known = moves.get(file)
  if (known) return known
  const move = moveIn(file)
  moves.set(file, move)
  return move
}

afterAll(async () => {
  for (const move of moves.values()) await (await move).worker.dispose()
})

async function checkFeeds(worker: RunningWorker): Promise<{ items: Record<string, unknown>[] }> {
  const rss = await (await worker.get('/rss.xml')).text()
  const atom = await (await worker.get('/atom.xml')).text()
  const json = (await (await worker.get('/feed.json')).json()) as {
    items: Record<string, unknown>[]
  }
  expect(checkWellFormed(rss)).toBe(true)
  expect(checkAtomRelaxNg(atom)).toBe('')
  expect(checkAtomRules(atom)).toEqual([])
  expect(checkJsonFeed(json)).toEqual([])
  for (const feed of [rss, atom]) expect(parseWithFeedparser(feed).bozo).toBe(false)
  return json
}

// A kept-alive connection the dev server closed while the validators ran fails the next fetch
// ("other side closed"); a GET is safe to send again once on a fresh connection.
async function getAgain(worker: RunningWorker, path: string, init?: RequestInit) {
  try {
    return await worker.get(path, init)
  } catch {
    return worker.get(path, init)
  }
}

async function answers(worker: RunningWorker, from: string, to: string): Promise<void> {
  const moved = await getAgain(worker, from, { redirect: 'manual' })
  expect(moved.status, from).toBe(301)
  const location = new URL(moved.headers.get('location') as string, 'http://localhost')
  expect(location.pathname).toBe(to)
  expect((await getAgain(worker, location.pathname)).status, to).toBe(200)
}

const siteOf = (moved: Moved) =>
  parse(readFileSync(join(moved.site, 'content/site.yaml'), 'utf8')) as Record<string, unknown>

describe.each([
  {
    file: 'guardian-us.rss',
    articles: 55,
    title: 'The Guardian',
    old: [
      '/us-news/2018/jan/31/donald-trump-state-of-the-union-address-unity-discord',
      '/articles/donald-trump-state-of-the-union-address-unity-discord/',
    ],
  },
  {
    file: 'techcrunch-feedburner.xml',
    articles: 20,
    title: 'TechCrunch',
    old: [
      '/2011/11/02/angies-list-prices-ipo-at-11-to-13-per-share-valued-at-over-600m/',
      '/articles/angies-list-prices-ipo-at-11-to-13-per-share-valued-at-over-600m/',
    ],
  },
  {
    file: 'cre-podcast.xml',
    articles: 30,
    title: 'CRE: Technik, Kultur, Gesellschaft',
    old: ['/cre207-planetarien', '/articles/cre207-planetarien/'],
  },
  {
    file: 'chrisjrob-wordpresscom.xml',
    articles: 96,
    title: 'chrisjrob',
    old: ['/category/linux/feed/', '/categories/linux/rss.xml'],
  },
  {
    file: 'jn-pt-iso-8859-1.rss',
    articles: 40,
    title: 'Jornal de Notícias - Últimas Notícias',
    old: [
      '/nacional/videos/interior/meio-dia-em-60-segundos-salarios-ate-632-euros-brutos-isentos-de-retencao-de-irs-9021375.html',
      '/articles/meio-dia-em-60-segundos-salarios-ate-632-euros-brutos-isentos-de-retencao-de-irs-9021375/',
    ],
  },
])('$file moved in with one command', ({ file, articles, title, old }) => {
  let moved: Moved

  beforeAll(async () => {
    moved = await movedIn(file)
  }, 300_000)

  it(`imports its ${articles} articles and fills site.yaml from it, the sample left out`, () => {
    expect(moved.report).toContain(`articles: ${articles} imported`)
    expect(moved.report).toContain('the shipped sample article, removed')
    expect(siteOf(moved).title).toBe(title)
  })

  it('serves valid RSS, Atom and JSON Feed', async () => {
    const json = await checkFeeds(moved.worker)
    expect(json.items.length).toBe(Math.min(articles, 20))
  })

  it(`the old address ${old[0]} answers 301 to ${old[1]}`, async () => {
    await answers(moved.worker, old[0] as string, old[1] as string)
  })
})

describe('what readers saw is carried', () => {
  it('CRE: every episode in the JSON Feed has its audio attachment', async () => {
    const moved = await movedIn('cre-podcast.xml')
    const json = (await (await moved.worker.get('/feed.json')).json()) as {
      items: { attachments?: { url: string; mime_type: string }[] }[]
    }
    expect(json.items).toHaveLength(20)
    for (const item of json.items)
      expect(item.attachments?.[0]?.url).toMatch(/^http:\/\/cre\.fm\/podlove\/file\/.+\.m4a$/)
    const rss = await (await moved.worker.get('/rss.xml')).text()
    expect(
      rss.match(
        /<enclosure url="http:\/\/cre\.fm\/podlove\/[^"]+" length="\d+" type="audio\/mp4"/g,
      ),
    ).toHaveLength(20)
  }, 300_000)

  it('TechCrunch: no tracker is left in any body the feeds carry', async () => {
    const moved = await movedIn('techcrunch-feedburner.xml')
    const rss = await (await moved.worker.get('/rss.xml')).text()
    expect(rss).not.toMatch(/feedflare|feeds\.feedburner\.com\/~|feedproxy\.google\.com/)
  }, 300_000)
})
