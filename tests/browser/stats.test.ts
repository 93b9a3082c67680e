import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { readD1Migrations } from '@cloudflare/vitest-pool-workers'
import { Miniflare } from 'miniflare'
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/routes/app'
import { flushStats } from '../../src/stats/d1-stats'
import { pollOf } from '../../src/stats/poll'
import { StatsRecorder } from '../../src/stats/recorder'
import type { SqlDatabase } from '../../src/store/d1'
import { appFor } from '../helpers/app'
import { asyncD1, D1_RUNNER } from '../helpers/async-d1'
import { serveApp } from '../helpers/serve-node'

// The statistics dashboard of the shipped content, with a year of figures, in Debian's
// Chromium: signing in through the form, then the page on a desktop and a phone.
const AXE = readFileSync(
  join(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'),
  'utf8',
)
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
]
const OUTPUT = join(import.meta.dirname, '../.output')
const TOKEN = 'dashboard-test-statistics-token-0123456789'
const NOW = Date.parse('2026-12-01T15:00:00Z')
const DAY = 86_400_000

let mf: Miniflare
let server: Awaited<ReturnType<typeof serveApp>>
let browser: Browser

async function seed(db: SqlDatabase, secret: string): Promise<void> {
  for (const migration of await readD1Migrations('migrations-stats'))
    for (const query of migration.queries) await db.prepare(query).run()
  // A year of closed days: a feed that grows, with its weekly dip, and bots beside it.
  const days = Array.from({ length: 365 }, (_, i) => {
    const day = new Date(NOW - (365 - i) * DAY).toISOString().slice(0, 10)
    const people = Math.round(800 + i * 3 + (i % 7 === 5 ? -120 : 0))
    return db
      .prepare('INSERT INTO stats_days (day, feed, reported, people, bots) VALUES (?, ?, ?, ?, ?)')
      .bind(day, '', Math.round(people * 0.7), Math.round(people * 0.3), 40 + (i % 11))
  })
  await db.batch(days)
  // Today so far: real polls through the recorder.
  const recorder = new StatsRecorder()
  const readers = [
    'Feedly/1.0 (+http://www.feedly.com/fetcher.html; 1342 subscribers; )',
    'Inoreader/1.0 (+http://www.inoreader.com/feed-fetcher; 210 subscribers; )',
    'Feedbin feed-id:1306543 - 38 subscribers',
    'Mozilla/5.0 (compatible; Miniflux/2.0.12; +https://miniflux.app)',
    'NetNewsWire (RSS Reader; https://netnewswire.com/)',
    'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  ]
  for (let i = 0; i < 600; i++)
    recorder.record(
      await pollOf(secret, {
        at: NOW - (600 - i) * 60_000,
        feed: i % 3 === 0 ? 'categories/microsoft' : '',
        status: i % 4 === 0 ? 200 : 304,
        bytes: i % 4 === 0 ? 5457 : 0,
        address: `10.0.${i % 40}.1`,
        userAgent: readers[i % readers.length] as string,
      }),
    )
  await flushStats(db, recorder.drain(NOW))
}

beforeAll(async () => {
  mkdirSync(OUTPUT, { recursive: true })
  mf = new Miniflare({
    modules: true,
    script: D1_RUNNER,
    d1Databases: ['STATS'],
  })
  const db = asyncD1(mf, 'STATS')
  const secret = 'dashboard-test-secret-0123456789'
  await seed(db, secret)
  const { store } = await appFor(undefined, NOW)
  const app = createApp(() => store, { clock: () => NOW })
  const env = { STATS: db, STATS_SECRET: secret, STATS_TOKEN: TOKEN }
  server = await serveApp({ fetch: (request: Request) => app.fetch(request, env) })
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
  await mf?.dispose()
})

async function violations(page: import('playwright-core').Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE })
  return page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run(): Promise<{ violations: { id: string; nodes: unknown[] }[] }> }
      }
    ).axe
    return (await axe.run()).violations.map((v) => `${v.id} (${v.nodes.length})`)
  })
}

describe('the statistics dashboard in Chromium', () => {
  it.each([
    ['desktop', { width: 1280, height: 900 }],
    ['phone', { width: 390, height: 844 }],
  ] as const)('signs in with the form and reads well on a %s', async (_, viewport) => {
    // axe-core goes in as an inline script, which the page's CSP rightly refuses.
    const context = await browser.newContext({ bypassCSP: true, viewport })
    const page = await context.newPage()
    const problems: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().includes('401'))
        problems.push(message.text())
    })
    expect((await page.goto(new URL('/stats/', server.url).href))?.status()).toBe(401)
    expect(await violations(page)).toEqual([])
    await page.getByLabel('Statistics token').fill('wrong')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('not this site’s statistics token')
    await page.getByLabel('Statistics token').fill(TOKEN)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Who reads the feeds' }).waitFor()
    // The session cookie as the browser keeps it: not readable from script.
    const [cookie] = await context.cookies()
    expect(cookie).toMatchObject({
      name: '__Host-newswire-stats',
      httpOnly: true,
      secure: true,
      sameSite: 'Strict',
    })
    expect(
      await page.evaluate(
        () => (globalThis as unknown as { document: { cookie: string } }).document.cookie,
      ),
    ).toBe('')

    expect(await violations(page)).toEqual([])
    const width = await page.evaluate(
      () =>
        (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } })
          .document.documentElement.scrollWidth,
    )
    expect(width).toBeLessThanOrEqual(viewport.width)
    expect(await page.locator('svg[role="img"] polyline.subscribers').count()).toBe(1)
    expect(await page.getByRole('row', { name: /Feedly/ }).textContent()).toContain('1,342')
    await page.screenshot({ path: join(OUTPUT, `stats-${viewport.width}.png`), fullPage: true })

    await page.getByRole('link', { name: '365 days' }).click()
    await expect.poll(() => page.url()).toContain('days=365')
    expect(await page.getByRole('link', { name: '365 days' }).getAttribute('aria-current')).toBe(
      'page',
    )
    await page.getByRole('button', { name: 'Sign out' }).click()
    await expect.poll(() => page.getByLabel('Statistics token').count()).toBe(1)
    expect(problems).toEqual([])
    await context.close()
  })
})
