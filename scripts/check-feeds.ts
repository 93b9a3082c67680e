/**
 * `npm run check:feeds` (run by `npm test` too): renders every aggregator profile feed of the
 * current content through the Worker's own routes and reports, per profile and per article,
 * every rule an article breaks as `profile: article: rule: detail`. Articles that break a hard
 * rule are already left out of the feed; the report says which and why. Exits 1 only when a
 * profile feed cannot be served or is not well-formed.
 */
import { XMLValidator } from 'fast-xml-parser'
import { ContentError } from '../src/content/errors'
import type { FeedDefinition } from '../src/model/types'
import { formatReportLine, profileReport } from '../src/profiles/report'
import { feedFileUrl } from '../src/render/document'
import { formatsOf } from '../src/render/formats'
import { createApp } from '../src/routes/app'
import { profileSelections } from '../src/routes/profile-feeds'
import { BundledStore } from '../src/store/bundled'
import { compileContent, readContentFiles } from './content-files'

async function main(): Promise<void> {
  const bundle = await compileContent(await readContentFiles())
  const store = new BundledStore(bundle)
  const app = createApp(() => store)
  const { site } = bundle.catalog
  const profiles = bundle.catalog.curated.filter((feed) => feed.profile)
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
  const now = Date.now()
  const selections = await profileSelections(store, site, profiles, now)
  const served = (feed: FeedDefinition) => selections.get(feed.path) ?? []
  for (const feed of profiles) {
    const name = feed.path.replace(/^feeds\//, '')
    const rules = feed.profile
    const total = bundle.feeds[feed.path]?.positions.length ?? 0
    const counts = served(feed).map(({ format, kept }) => `${kept} in ${format}`)
    console.log(`${name}: ${total} articles, ${counts.join(', ')} (${rules?.name})`)
  }
  for (const line of profileReport(site, profiles, bundle.articles, now, served))
    console.log(formatReportLine(line))
  if (failed) process.exit(1)
}

main().catch((error: unknown) => {
  console.error(error instanceof ContentError ? error.message : error)
  process.exit(1)
})
