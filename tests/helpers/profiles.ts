import { compileContent, storeInMemory } from '../../scripts/content-files'
import type { ContentFiles } from '../../src/content/load'
import { profileSelections } from '../../src/profiles/feed'
import { formatReportLine, profileReport } from '../../src/profiles/report'
import { PROFILES } from '../../src/profiles/rules'
import { createApp } from '../../src/routes/app'
import { articleFile, contentFiles } from './content'

/** The day every profile test is served on. */
export const NOW = Date.parse('2026-11-01T00:00:00Z')

export const HTTPS_SITE = `title: The Daily Test
description: Tests, daily.
url: https://news.test
language: en-US
copyright: © 2026 The Daily Test
logo: /logo.png
icon: /icon.png
accent_color: 0B5CAD
cover: /cover.jpg
websub_hub: https://hub.test/
`

const IMAGE =
  '{ url: "https://img.news.test/lead.jpg", alt: "A lead image", caption: "What the image shows", credit: "Jo Bloggs / Agency", width: 1600, height: 900, type: "image/jpeg", length: 182000 }'

let n = 0

/** A valid article for every profile: a 30-character title, a long body, a large credited image. */
export function goodArticle(fields: Record<string, string> = {}, body?: string): string {
  n += 1
  return articleFile(
    {
      id: `urn:uuid:0f0f0f0f-0000-4000-8000-${String(n).padStart(12, '0')}`,
      title: `"A headline long enough number ${n}"`,
      summary: '"A one-line summary of the story."',
      published: '2026-10-20T09:00:00Z',
      image: IMAGE,
      ...fields,
    },
    body ??
      Array.from(
        { length: 6 },
        (_, i) => `Paragraph ${i} of the story, with enough words in it to read like news & more.`,
      ).join('\n\n'),
  )
}

/** Content on an https site with one feed definition per profile, plus `files`. */
export function profileContent(files: Record<string, string | null> = {}): ContentFiles {
  return contentFiles({
    'content/site.yaml': HTTPS_SITE,
    'content/articles/engines.md': null,
    ...Object.fromEntries(
      Object.keys(PROFILES).map((id) => [
        `feeds/${id}.yaml`,
        `title: The Daily Test for ${id}\ndescription: For ${id}.\nprofile: ${id}\n`,
      ]),
    ),
    ...files,
  })
}

/** The app over that content with the clock fixed, and the check:feeds report of it. */
export async function profileApp(files: ContentFiles) {
  const bundle = await compileContent(files, { now: NOW })
  const store = storeInMemory(bundle)
  const app = createApp(() => store, { clock: () => NOW })
  const get = (path: string) => app.request(`https://news.test${path}`)
  const { site, curated } = bundle.content
  const selections = await profileSelections(store, site, curated, NOW)
  const report = profileReport(
    site,
    curated,
    bundle.stored,
    NOW,
    (feed) => selections.get(feed.path) ?? [],
  ).map(formatReportLine)
  return { bundle, get, report }
}
