import { beforeAll, describe, expect, it } from 'vitest'
import { appFor } from '../helpers/app'

// The shipped content rendered exactly as served. These files are read by a person whenever
// they change: a diff here is a change every subscriber receives.
const GOLDEN = [
  ['/rss.xml', 'site.rss.xml'],
  ['/atom.xml', 'site.atom.xml'],
  ['/feed.json', 'site.feed.json'],
  ['/feeds/security-threats/atom.xml?limit=5', 'security-threats.atom.xml'],
  ['/feeds.opml', 'feeds.opml'],
  ['/tags.opml', 'tags.opml'],
] as const

let get: Awaited<ReturnType<typeof appFor>>['get']

beforeAll(async () => {
  ;({ get } = await appFor())
})

describe('golden files of the shipped content', () => {
  it.each(GOLDEN)('%s matches tests/golden/%s', async (path, file) => {
    const response = await get(path)
    expect(response.status).toBe(200)
    await expect(await response.text()).toMatchFileSnapshot(`../golden/${file}`)
  })

  it('renders byte-identical feeds for the same content', async () => {
    const again = await appFor()
    for (const [path] of GOLDEN)
      expect(await (await again.get(path)).text()).toBe(await (await get(path)).text())
  })
})
