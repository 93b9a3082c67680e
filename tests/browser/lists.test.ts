import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bigNewsroomApp } from '../helpers/big-newsroom'
import { serveApp } from '../helpers/serve-node'

// The lists of a newsroom with 50,000 tags and 2,000 authors, in Debian's Chromium.
const AXE = readFileSync(
  join(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'),
  'utf8',
)
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
const OUTPUT = join(import.meta.dirname, '../.output')
const VIEWPORTS = [
  ['desktop', { width: 1280, height: 900 }],
  ['phone', { width: 390, height: 844 }],
] as const

let server: Awaited<ReturnType<typeof serveApp>>
let browser: Browser

beforeAll(async () => {
  mkdirSync(OUTPUT, { recursive: true })
  server = await serveApp(bigNewsroomApp())
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

describe.each(['/tags/', '/tags/?page=120', '/authors/'])(
  '%s of 50,000 tags and 2,000 authors',
  (path) => {
    it.each(VIEWPORTS)(
      'has no accessibility violations on a %s, and nothing wider than it',
      async (_, viewport) => {
        // axe-core goes in as an inline script, which the page's CSP rightly refuses.
        const context = await browser.newContext({ bypassCSP: true, viewport })
        const page = await context.newPage()
        const problems: string[] = []
        page.on('console', (message) => {
          if (message.type() === 'error') problems.push(message.text())
        })
        expect((await page.goto(new URL(path, server.url).href))?.status()).toBe(200)
        await page.addScriptTag({ content: AXE })
        const violations = await page.evaluate(async () => {
          const axe = (
            globalThis as unknown as {
              axe: { run(): Promise<{ violations: { id: string; nodes: unknown[] }[] }> }
            }
          ).axe
          return (await axe.run()).violations.map((v) => `${v.id} (${v.nodes.length})`)
        })
        expect(violations).toEqual([])
        expect(problems).toEqual([])
        const width = await page.evaluate(
          () =>
            (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } })
              .document.documentElement.scrollWidth,
        )
        expect(width).toBeLessThanOrEqual(viewport.width)
        if (path === '/tags/')
          await page.screenshot({ path: join(OUTPUT, `tags-50000-${viewport.width}.png`) })
        await context.close()
      },
    )
  },
)

describe('the tag list in Chromium', () => {
  it('narrows the 200 rows of a page as one types, letters emptied with them', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(new URL('/tags/?page=30', server.url).href)
    const rows = page.locator('#entries tbody tr')
    expect(await rows.count()).toBe(200)
    const first = (await page.locator('#entries tbody tr th').first().textContent()) as string
    await page.locator('#filter').pressSequentially(first.slice(0, -1))
    await expect
      .poll(() => page.locator('#entries tbody tr:not([hidden])').count())
      .toBeLessThan(200)
    const shown = await page.locator('#entries tbody tr:not([hidden]) th').allTextContents()
    expect(shown).toContain(first)
    for (const section of await page.locator('#entries section').all()) {
      const visible = await section.locator('tbody tr:not([hidden])').count()
      expect(await section.isHidden()).toBe(visible === 0)
    }
    await context.close()
  })

  it('jumps to the page a letter starts on', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(new URL('/tags/', server.url).href)
    await page.locator('nav.letters a', { hasText: '漢' }).click()
    await page.waitForURL(/page=\d+#letter-/)
    await expect.poll(() => page.locator('h2[id="letter-漢"]').count()).toBe(1)
    await context.close()
  })
})
