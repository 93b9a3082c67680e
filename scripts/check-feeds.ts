/**
 * `npm run check:feeds` (run by `npm test` too): renders every aggregator profile feed of the
 * current content through the Worker's own routes and reports, per profile and per article,
 * every rule an article breaks as `profile: article: rule: detail`. Articles that break a hard
 * rule are already left out of the feed; the report says which and why. Scheduled articles are
 * listed with the minute each appears. Exits 1 only when a profile feed cannot be served or is
 * not well-formed.
 */
import { XMLValidator } from 'fast-xml-parser'
import { ContentError } from '../src/content/errors'
import type { FeedDefinition } from '../src/model/types'
import { profileSelections } from '../src/profiles/feed'
import { formatReportLine, profileReport } from '../src/profiles/report'
import { feedFileUrl } from '../src/render/document'
import { formatsOf } from '../src/render/formats'
import { createApp } from '../src/routes/app'
import { compileContent, readContentFiles, storeInMemory } from './content-files'

async function main(): Promise<void> {
  // The report's one reading of the clock: what is out now, and what each profile holds today.
  const now = Date.now()
  const compiled = await compileContent(await readContentFiles(), { now })
  const { content, stored } = compiled
  const store = storeInMemory(compiled)
  const app = createApp(() => store, { clock: () => now })
  const { site } = content
  const profiles = content.curated.filter((feed) => feed.profile)
  let failed = false
  for (const feed of profiles) {
    for (const { file } of formatsOf(feed)) {
      const response = await app.request(feedFileUrl(site.url, feed, file))
      const valid = XMLValidator.validate(await response.text())
      if (response.status !== 200 || valid !== true) {
        console.error(
          `${feed.path}/${file}: ${response.status} ${valid === true ? '' : valid.err.msg}`,
        )
        failed = true
      }
    }
  }
  const selections = await profileSelections(store, site, profiles, now)
  const served = (feed: FeedDefinition) => selections.get(feed.path) ?? []
  const visible = stored.filter((article) => Date.parse(article.published) <= now)
  const counts = await store.counts(profiles, now)
  for (const feed of profiles) {
    const name = feed.path.replace(/^feeds\//, '')
    const counted = served(feed).map(({ format, kept }) => `${kept} in ${format}`)
    console.log(
      `${name}: ${counts.get(feed.path)} articles, ${counted.join(', ')} (${feed.profile?.name})`,
    )
  }
  for (const line of profileReport(site, profiles, visible, now, served))
    console.log(formatReportLine(line))
  for (const article of stored.filter((a) => Date.parse(a.published) > now).reverse())
    console.log(`scheduled: ${article.slug} appears at ${article.published}`)
  if (failed) process.exit(1)
}

main().catch((error: unknown) => {
  console.error(error instanceof ContentError ? error.message : error)
  process.exit(1)
})
