import { beforeAll, describe, expect, it } from 'vitest'
import { appFor } from '../helpers/app'
import { contentFiles } from '../helpers/content'
import { checkSitemapSchema } from '../helpers/validators'

// An untitled status with a podcast episode, published the day before the tests' clock.
const STATUS = `---
id: urn:uuid:11111111-2222-4333-8444-000000000018
slug: bridge-status
author: ada-lovelace
published: 2026-11-30T12:00:00Z
categories: [science]
attachments:
  - url: /media/bridge.mp3
    type: audio/mpeg
    length: 1200000
    duration: 95
    title: The crew explains
  - url: /media/bridge.mp4
    type: video/mp4
  - url: https://files.example/plan.pdf
    type: application/pdf
---

Bridge closed overnight on the north side while crews replace the expansion joints, the city said.
`

const STAND_IN = 'Bridge closed overnight on the north side while crews replace the expansion…'

let get: Awaited<ReturnType<typeof appFor>>['get']

beforeAll(async () => {
  ;({ get } = await appFor(contentFiles({ 'content/articles/bridge-status.md': STATUS })))
})

describe('an untitled article with attachments, served', () => {
  it('has its stand-in title as the page heading and <title>', async () => {
    const page = await (await get('/articles/bridge-status/')).text()
    expect(page).toContain(`<h1>${STAND_IN}</h1>`)
    expect(page).toContain(`<title>${STAND_IN} · The Daily Test</title>`)
  })

  it('plays audio and video on its page and links every file for download', async () => {
    const page = await (await get('/articles/bridge-status/')).text()
    expect(page).toContain(
      '<audio controls preload="none" src="https://news.test/media/bridge.mp3"></audio>',
    )
    expect(page).toContain(
      '<video controls preload="none" src="https://news.test/media/bridge.mp4"></video>',
    )
    expect(page).toContain(
      '<a href="https://news.test/media/bridge.mp3" type="audio/mpeg" download>The crew explains</a> (audio/mpeg, 1:35, 1.2 MB)',
    )
    expect(page).toContain(
      '<a href="https://files.example/plan.pdf" type="application/pdf" download>plan.pdf</a> (application/pdf)',
    )
  })

  it('lets the page play media from https: origins (CSP media-src)', async () => {
    const response = await get('/articles/bridge-status/')
    expect(response.headers.get('content-security-policy')).toContain("media-src 'self' https:")
  })

  it('is listed under its stand-in title on the index', async () => {
    const page = await (await get('/')).text()
    expect(page).toContain(`<a href="/articles/bridge-status/">${STAND_IN}</a>`)
  })

  it('has its stand-in title as news:title in the Google News sitemap', async () => {
    const sitemap = await (await get('/news-sitemap.xml')).text()
    expect(sitemap).toContain(`<news:title>${STAND_IN}</news:title>`)
    expect(checkSitemapSchema(sitemap, 'urlset-with-news.xsd')).toBe('')
  })

  it('carries its attachments from the bundled store into the feeds', async () => {
    const feed = JSON.parse(await (await get('/feed.json')).text())
    const item = feed.items.find((i: { url: string }) => i.url.includes('bridge-status'))
    expect(item.title).toBeUndefined()
    expect(item.attachments.map((a: { url: string }) => a.url)).toEqual([
      'https://news.test/media/bridge.mp3',
      'https://news.test/media/bridge.mp4',
      'https://files.example/plan.pdf',
    ])
    const rss = await (await get('/rss.xml')).text()
    expect(rss).toContain(
      '<enclosure url="https://news.test/media/bridge.mp3" length="1200000" type="audio/mpeg"/>',
    )
  })
})
