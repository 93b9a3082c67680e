import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseOpml } from 'feedsmith'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { handleOf } from '../../src/federation/handles'
import type { Catalog } from '../../src/model/feeds'
import { findFeed, listFeeds } from '../../src/model/feeds'
import type { FeedDefinition } from '../../src/model/types'
import { formatsOf } from '../../src/render/formats'
import { type RunningWorker, startWorker } from '../helpers/worker'

const OUTPUT = join(import.meta.dirname, '../.output')
const AXE = readFileSync(
  join(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'),
  'utf8',
)
const bundle: { catalog: Catalog } = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../src/store/generated/catalog.json'), 'utf8'),
)

let worker: RunningWorker
let browser: Browser
let context: BrowserContext
// axe-core is injected as an inline script, which the pages' CSP rightly refuses: it runs in a
// context that bypasses CSP, while every other check runs under the real policy.
let axeContext: BrowserContext

// Debian's Chromium, as root in a sandbox, with nothing reaching out to the network.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

beforeAll(async () => {
  mkdirSync(OUTPUT, { recursive: true })
  worker = await startWorker()
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
  context = await browser.newContext()
  axeContext = await browser.newContext({ bypassCSP: true })
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
    origin: worker.url.origin,
  })
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await worker?.dispose()
})

/** The browser globals used inside page.evaluate (this file is type-checked without the DOM lib). */
interface Browserish {
  navigator: { clipboard: { readText(): Promise<string> } }
  document: { documentElement: { scrollWidth: number } }
}

interface Visit {
  page: Page
  problems: string[]
  requests: string[]
}

/** Opens a page, collecting console errors, page errors and every URL it requested. */
async function visit(
  path: string,
  viewport = { width: 1280, height: 900 },
  from = context,
): Promise<Visit> {
  const page = await from.newPage()
  await page.setViewportSize(viewport)
  const problems: string[] = []
  const requests: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      problems.push(`${message.type()}: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
  page.on('request', (request) => requests.push(request.url()))
  const response = await page.goto(new URL(path, worker.url).href)
  expect(response?.status(), path).toBe(200)
  await page.waitForLoadState('networkidle')
  return { page, problems, requests }
}

async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE })
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run(): Promise<{ violations: { id: string; nodes: unknown[] }[] }> }
      }
    ).axe
    return (await axe.run()).violations.map((v) => `${v.id} (${v.nodes.length})`)
  })
  return violations
}

describe.each([
  '/',
  '/categories/security/',
  '/authors/sean-endicott/',
  '/tags/apt40/',
  '/feeds/security-threats/',
  '/articles/microsoft-exchange-server-attacks-were-carried-out-by-china-claim-us-and-uk/',
  '/tags/',
  '/authors/',
])('page %s in Chromium', (path) => {
  it('loads with no console errors and requests nothing from another origin', async () => {
    const { page, problems, requests } = await visit(path)
    expect(problems).toEqual([])
    expect(requests.filter((url) => new URL(url).origin !== worker.url.origin)).toEqual([])
    await page.close()
  })

  it('has no accessibility violations (axe-core) and one h1 inside main', async () => {
    const { page } = await visit(path, undefined, axeContext)
    expect(await page.locator('main h1').count()).toBe(1)
    expect(await page.locator('header').count()).toBeGreaterThan(0)
    expect(await page.locator('footer').count()).toBe(1)
    expect(await axeViolations(page)).toEqual([])
    await page.close()
  })

  it('announces feeds that answer with the type it names', async () => {
    const { page } = await visit(path)
    const links = await page
      .locator('link[rel="alternate"]')
      .evaluateAll((nodes) => nodes.map((n) => [n.getAttribute('type'), n.getAttribute('href')]))
    expect(links.length).toBe(3)
    for (const [type, href] of links) {
      const response = await fetch(href as string)
      // Read whole: a body left unread holds its connection to the Worker open.
      await response.arrayBuffer()
      expect(response.status, href as string).toBe(200)
      expect(response.headers.get('content-type')).toBe(`${type}; charset=utf-8`)
    }
    await page.close()
  })
})

describe('pages for people', () => {
  it('subscribes to the feed of the page it is on', async () => {
    const { page } = await visit('/categories/security/')
    const hrefs = await page
      .locator('link[rel="alternate"]')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('href')))
    expect(hrefs).toEqual(
      ['rss.xml', 'atom.xml', 'feed.json'].map(
        (file) => new URL(`/categories/security/${file}`, worker.url).href,
      ),
    )
    await page.close()
  })

  it('copies a feed URL with the copy button', async () => {
    const { page } = await visit('/')
    const button = page.locator('button[data-copy]').first()
    const url = await button.getAttribute('data-copy')
    await button.click()
    await expect.poll(() => button.textContent()).toBe('Copied')
    expect(
      await page.evaluate(() =>
        (globalThis as unknown as Browserish).navigator.clipboard.readText(),
      ),
    ).toBe(url)
    // A table row's button copies its RSS address, absolute, though the row links from the root.
    const row = page.locator('table.feeds tbody tr').first()
    const href = (await row.locator('a[type]').first().getAttribute('href')) as string
    expect(href).toMatch(/^\/categories\/[^/]+\/rss\.xml$/)
    const copyFeed = row.locator('button.copy:not([data-copy])')
    await copyFeed.click()
    await expect.poll(() => copyFeed.textContent()).toBe('Copied')
    const copied = await page.evaluate(() =>
      (globalThis as unknown as Browserish).navigator.clipboard.readText(),
    )
    expect(copied).toBe(new URL(href, worker.url).href)
    // Its other button copies the feed's fediverse handle (the Worker federates).
    const copyHandle = row.locator('button.copy[data-copy]')
    await copyHandle.click()
    await expect.poll(() => copyHandle.textContent()).toBe('Copied')
    const handle = await page.evaluate(() =>
      (globalThis as unknown as Browserish).navigator.clipboard.readText(),
    )
    const feed = findFeed(bundle.catalog, href.slice(1, href.lastIndexOf('/'))) as FeedDefinition
    expect(handle).toBe(`@${handleOf(feed)}@${new URL(worker.url).host}`)
    await page.close()
  })

  it('lists every feed on the index page with its count and the formats it is served in', async () => {
    const { page } = await visit('/')
    const feeds = listFeeds(bundle.catalog)
    expect(await page.locator('ul.subscribe a[type]').count()).toBe(3)
    const rows = page.locator('table.feeds tbody tr')
    expect(await rows.count()).toBe(feeds.length - 1)
    const names = await rows.locator('th a').allTextContents()
    const byGroup = (kind: string, profile: boolean) =>
      feeds.filter((f) => f.kind === kind && Boolean(f.profile) === profile).map((f) => f.name)
    expect(names).toEqual([
      ...byGroup('category', false),
      ...byGroup('curated', false),
      ...byGroup('author', false),
      ...byGroup('tag', false),
      ...byGroup('curated', true),
    ])
    const rowFeeds = [
      ...feeds.filter((f) => f.kind !== 'site' && !f.profile),
      ...feeds.filter((f) => f.profile),
    ]
    for (const [index, row] of (await rows.all()).entries()) {
      const feed = rowFeeds.find((f) => f.name === names[index])
      expect(await row.locator('a[type]').count()).toBe(
        formatsOf(feed as (typeof feeds)[number]).length,
      )
      // Flipboard and MSN hold none of the shipped content (no image file; MSN: http, age).
      const held =
        feed?.profile?.aggregator === 'flipboard' || feed?.profile?.aggregator === 'msn'
          ? '0 articles'
          : '1 article'
      expect(await row.locator('.count').textContent()).toBe(held)
    }
    await page.close()
  })

  it('narrows the tag list as one types, and searches every tag without JavaScript', async () => {
    const { page } = await visit('/tags/')
    const rows = page.locator('#entries tbody tr')
    const all = await rows.count()
    expect(all).toBe(bundle.catalog.tags.length)
    await page.locator('#filter').pressSequentially('haf')
    await expect.poll(() => page.locator('#entries tbody tr:not([hidden])').count()).toBe(1)
    expect(await page.locator('#entries tbody tr:not([hidden]) th').textContent()).toBe('Hafnium')
    expect(await page.locator('#filter-note').textContent()).toBe(
      '1 on this page hold “haf”; press Enter to search them all.',
    )
    await page.locator('#filter').fill('')
    await page.locator('#filter').dispatchEvent('input')
    await expect.poll(() => page.locator('#entries tbody tr:not([hidden])').count()).toBe(all)
    await page.close()
    const plain = await browser.newContext({ javaScriptEnabled: false })
    const noScript = await plain.newPage()
    await noScript.goto(new URL('/tags/', worker.url).href)
    await noScript.locator('#filter').fill('apt')
    await noScript.locator('form.filter button').click()
    await noScript.waitForURL(/\/tags\/\?q=apt$/)
    expect(await noScript.locator('#entries tbody th').allTextContents()).toEqual([
      'APT31',
      'APT40',
    ])
    await plain.close()
  })

  it('writes screenshots of the index, a category page and the tags, desktop and phone', async () => {
    for (const [name, path] of [
      ['index', '/'],
      ['category', '/categories/security/'],
      ['tags', '/tags/'],
    ]) {
      for (const [device, viewport] of [
        ['desktop', { width: 1280, height: 900 }],
        ['phone', { width: 390, height: 844 }],
      ] as const) {
        const { page } = await visit(path as string, viewport)
        await page.screenshot({ path: join(OUTPUT, `${name}-${device}.png`), fullPage: true })
        // Nothing wider than the screen on a phone.
        expect(
          await page.evaluate(
            () => (globalThis as unknown as Browserish).document.documentElement.scrollWidth,
          ),
        ).toBeLessThanOrEqual(viewport.width)
        await page.close()
      }
    }
  })
})

describe('feeds opened in a browser', () => {
  // Chromium shows application/atom+xml as text; a browser that takes it as XML applies the
  // stylesheet. The route hands the real feed bytes over as application/xml to see that view.
  it('runs the XSLT view: the feed as a page that links to its HTML page and its items', async () => {
    const page = await context.newPage()
    await page.route('**/atom.xml', async (route) => {
      const response = await route.fetch()
      await route.fulfill({
        response,
        headers: { ...response.headers(), 'content-type': 'application/xml' },
      })
    })
    await page.goto(new URL('/categories/security/atom.xml', worker.url).href)
    expect(await page.locator('h1').textContent()).toBe('Windows Central: Security')
    const links = await page
      .locator('a')
      .evaluateAll((nodes) => nodes.map((n) => (n as unknown as { href: string }).href))
    // The feed's own links name the site's public origin (site.yaml), not this test's port.
    const site = bundle.catalog.site.url
    expect(links).toContain(`${site}/categories/security/`)
    expect(links).toContain(
      `${site}/articles/microsoft-exchange-server-attacks-were-carried-out-by-china-claim-us-and-uk/`,
    )
    await page.close()
  })
})

describe('OPML', () => {
  it('imports through an independent OPML parser as the same feed list, every xmlUrl live', async () => {
    const text = await (await fetch(new URL('/feeds.opml', worker.url))).text()
    const opml = parseOpml(text)
    const outlines = (opml.body?.outlines ?? []).flatMap((group) => group.outlines ?? [])
    const feeds = listFeeds(bundle.catalog)
    expect(outlines.map((o) => o.title)).toEqual(
      ['site', 'category', 'curated', 'author'].flatMap((kind) =>
        feeds.filter((f) => f.kind === kind && !f.profile).map((f) => f.title),
      ),
    )
    const tags = parseOpml(await (await fetch(new URL('/tags.opml', worker.url))).text())
    expect(
      (tags.body?.outlines ?? []).flatMap((group) => group.outlines ?? []).map((o) => o.title),
    ).toEqual(feeds.filter((f) => f.kind === 'tag').map((f) => f.title))
    for (const outline of outlines) {
      expect(outline.type).toBe('rss')
      const response = await fetch(outline.xmlUrl as string)
      await response.arrayBuffer()
      expect(response.status, outline.xmlUrl).toBe(200)
      expect(response.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8')
    }
  })
})
