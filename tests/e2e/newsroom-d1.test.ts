import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newsroomContent, projectCopy } from '../../scripts/project-copy'
import { readWithFeedparser } from '../helpers/readers'
import {
  checkAtomRelaxNg,
  checkAtomRules,
  checkJsonFeed,
  checkWellFormed,
  parseWithFeedparser,
} from '../helpers/validators'
import { type RunningWorker, startWorker } from '../helpers/worker'

// `npm run start:d1 -- --root DIR` on a generated newsroom of 1,500 long articles, three of them
// scheduled, in a copy of the project (its build, import spool and local D1 are its own).
const ARTICLES = 1500
const NOW = Date.now()
let dir: string
let worker: RunningWorker
let imported = ''

function inCopy(...args: string[]): string {
  return execFileSync(process.execPath, ['--import', 'tsx', ...args], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: '1' },
    maxBuffer: 1e8,
  })
}

beforeAll(async () => {
  const work = mkdtempSync(join(tmpdir(), 'newswire-newsroom-'))
  dir = projectCopy(join(work, 'project'))
  const root = await newsroomContent(join(work, 'newsroom'), {
    articles: ARTICLES,
    scheduled: 3,
    newest: NOW - 60_000,
    spacing: 20 * 60_000,
  })
  inCopy('scripts/build-content.ts', '--catalog-only', '--root', root)
  imported = inCopy('scripts/import-d1.ts', '--root', root)
  worker = await startWorker({
    config: join(dir, 'wrangler.toml'),
    env: 'd1',
    persist: join(dir, '.wrangler/state'),
  })
}, 300_000)

afterAll(() => worker?.dispose())

describe('npm run start:d1 on a newsroom of 1,500 long articles', () => {
  it('imports every article, three of them scheduled', () => {
    expect(imported).toMatch(/import: 1,503 articles into D1 \(local\)/)
    expect(imported).toMatch(/written 1,503 \(new or changed\), unchanged 0, scheduled 3/)
  })

  it('imports nothing the second time: every article is stored as it is', () => {
    const again = inCopy('scripts/import-d1.ts', '--root', join(dir, '..', 'newsroom'))
    expect(again).toMatch(/written 0 \(new or changed\), unchanged 1,503, scheduled 3/)
    expect(again).toMatch(/rendered in 0 s \(an earlier rendering of the same content\)/)
  })

  it.each([
    '',
    'categories/security/',
    'categories/windows/',
    'authors/writer-3/',
    'tags/copilot-0/',
    'feeds/security-desk/',
  ])(
    'serves /%s in every format, valid, newest first, scheduled stories left out',
    async (path) => {
      const rss = await (await worker.get(`/${path}rss.xml`)).text()
      const atom = await (await worker.get(`/${path}atom.xml`)).text()
      const json = await (await worker.get(`/${path}feed.json`)).json()
      expect(checkWellFormed(rss)).toBe(true)
      expect(checkWellFormed(atom)).toBe(true)
      expect(checkAtomRelaxNg(atom)).toBe('')
      expect(checkAtomRules(atom)).toEqual([])
      expect(checkJsonFeed(json)).toEqual([])
      for (const feed of [rss, atom]) {
        const parsed = parseWithFeedparser(feed)
        expect(parsed.bozo, parsed.bozo_exception).toBe(false)
      }
      const items = readWithFeedparser(rss)
      expect(items.length).toBeGreaterThan(0)
      expect(items.length).toBeLessThanOrEqual(20)
      const dates = items.map((item) => Date.parse(item.published))
      expect([...dates].sort((a, b) => b - a)).toEqual(dates)
      expect(Math.max(...dates)).toBeLessThanOrEqual(Date.now())
      // The three newest stories of the newsroom are still ahead.
      const links = items.map((item) => item.link)
      for (const slug of ['story-0', 'story-1', 'story-2'])
        expect(links).not.toContain(`http://127.0.0.1:8787/articles/${slug}/`)
    },
  )

  it('starts the site feed with the newest story already out', async () => {
    const items = readWithFeedparser(await (await worker.get('/rss.xml')).text())
    expect(items[0]?.link).toBe('http://127.0.0.1:8787/articles/story-3/')
  })

  it("serves Google News' profile feed valid, within its 60 items", async () => {
    const rss = await (await worker.get('/feeds/google-news/rss.xml')).text()
    expect(checkWellFormed(rss)).toBe(true)
    const parsed = parseWithFeedparser(rss)
    expect(parsed.bozo, parsed.bozo_exception).toBe(false)
    expect(readWithFeedparser(rss)).toHaveLength(60)
  })
})
