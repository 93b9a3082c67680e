/**
 * What embargoes that tell nothing cost a feed no scheduled article enters: every response is
 * fresh only until the site's next scheduled minute, so a reader that polls when its copy goes
 * stale (Cache-Control max-age, If-None-Match) comes back at each of those minutes. One day, a
 * scheduled article every hour at a minute of its own, a reader of one unrelated tag feed, in
 * this process on the bundled store; against the same reader on the same site with nothing
 * scheduled.
 */
import { listFeeds } from '../src/model/feeds'
import { createApp } from '../src/routes/app'
import { makeArticle } from '../tests/helpers/builders'
import { contractArticles, contractCatalog } from '../tests/helpers/catalog'
import { bundledStore, storedOf } from '../tests/helpers/stores'
import { section } from './report'

const DAY = 86_400_000
const START = Date.parse('2026-03-02T00:00:00Z')
const FEED = '/tags/music/rss.xml'

interface Polls {
  total: number
  notModified: number
}

// A reader that comes back when its copy stops being fresh, with the validator it holds.
async function pollDay(scheduled: number): Promise<Polls> {
  const catalog = contractCatalog()
  const science = catalog.categories[0] as (typeof catalog.categories)[0]
  // One article an hour, at minute 7, 19, 31, 43, … of its hour, in science, not tagged music.
  const ahead = Array.from({ length: scheduled }, (_, hour) => {
    const at = new Date(START + hour * 3_600_000 + ((7 + hour * 12) % 60) * 60_000).toISOString()
    return makeArticle({
      slug: `scheduled-${hour}`,
      published: at,
      updated: at,
      categories: [science],
      tags: [],
    })
  }).reverse()
  const { store } = bundledStore(
    catalog,
    storedOf(catalog, [...ahead, ...contractArticles()]),
    START,
  )
  let now = START
  const app = createApp(() => store, { clock: () => now })
  if (!listFeeds(catalog).some((feed) => `/${feed.path}/rss.xml` === FEED))
    throw new Error(`${FEED} is not a feed of the catalog`)
  const polls: Polls = { total: 0, notModified: 0 }
  let etag = ''
  while (now < START + DAY) {
    const response = await app.request(`https://news.test${FEED}`, {
      headers: etag ? { 'if-none-match': etag } : {},
    })
    await response.arrayBuffer()
    polls.total += 1
    if (response.status === 304) polls.notModified += 1
    etag = response.headers.get('etag') ?? etag
    const maxAge = Number(/max-age=(\d+)/.exec(response.headers.get('cache-control') ?? '')?.[1])
    now += Math.max(1, maxAge) * 1000
  }
  return polls
}

/** Runs the day twice; returns the extra 304s the unrelated feed answered with articles scheduled. */
export async function benchEmbargo(): Promise<number> {
  const quiet = await pollDay(0)
  const busy = await pollDay(24)
  const extra = busy.notModified - quiet.notModified
  section(
    [
      '### Embargoes that tell nothing: revalidations of a feed no scheduled article enters',
      '',
      `One day of a reader polling \`${FEED}\` whenever its copy stops being fresh (max-age 300), with If-None-Match; the site schedules one article an hour in another category.`,
      '',
      '| site | polls | 304s | 200s |',
      '| --- | ---: | ---: | ---: |',
      `| nothing scheduled | ${quiet.total} | ${quiet.notModified} | ${quiet.total - quiet.notModified} |`,
      `| an article scheduled every hour | ${busy.total} | ${busy.notModified} | ${busy.total - busy.notModified} |`,
      '',
      `Extra 304s a day for the unrelated feed: ${extra} (${((extra / quiet.notModified) * 100).toFixed(1)}% more revalidations), and no extra body.`,
      '',
    ].join('\n'),
  )
  return extra
}
