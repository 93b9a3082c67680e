/**
 * `npm run check:feeds` (run by `npm test` too): renders every aggregator profile feed of the
 * current content through the Worker's own routes and reports, per profile and per article,
 * every rule an article breaks as `profile: article: rule: detail`. Articles that break a hard
 * rule are already left out of the feed; the report says which and why. Exits 1 only when a
 * profile feed cannot be served or is not well-formed.
 */
import { XMLValidator } from 'fast-xml-parser'
import { ContentError } from '../src/content/errors'
import { formatReportLine, profileReport } from '../src/profiles/report'
import { PROFILES } from '../src/profiles/rules'
import { feedFileUrl } from '../src/render/document'
import { formatsOf } from '../src/render/formats'
import { createApp } from '../src/routes/app'
import { BundledStore } from '../src/store/bundled'
import { compileContent, readContentFiles } from './content-files'

async function main(): Promise<void> {
  const bundle = await compileContent(await readContentFiles())
  const app = createApp(() => new BundledStore(bundle))
  const profiles = bundle.catalog.curated.filter((feed) => feed.profile)
  const served = new Map<string, number>()
  let failed = false
  for (const feed of profiles) {
    for (const { file } of formatsOf(feed)) {
      const response = await app.request(feedFileUrl(bundle.catalog.site.url, feed, file))
      const body = await response.text()
      const valid = XMLValidator.validate(body)
      if (response.status !== 200 || valid !== true) {
        console.error(
          `${feed.path}/${file}: ${response.status} ${valid === true ? '' : valid.err.msg}`,
        )
        failed = true
      }
      served.set(feed.path, (body.match(/<item>|<entry>/g) ?? []).length)
    }
  }
  const lines = profileReport(
    bundle.catalog.site,
    profiles,
    bundle.articles,
    Date.now(),
    (feed) => served.get(feed.path) ?? 0,
  )
  for (const feed of profiles) {
    const name = feed.path.replace(/^feeds\//, '')
    const rules = PROFILES[feed.profile as string]
    const total = bundle.feeds[feed.path]?.positions.length ?? 0
    console.log(
      `${name}: ${served.get(feed.path) ?? 0} of ${total} articles in the feed (${rules?.name}; ${rules?.formats.join(', ')})`,
    )
  }
  for (const line of lines) console.log(formatReportLine(line))
  if (failed) process.exit(1)
}

main().catch((error: unknown) => {
  console.error(error instanceof ContentError ? error.message : error)
  process.exit(1)
})
