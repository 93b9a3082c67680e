import { matchesFilter } from '../model/feeds'
import type { ProfileRules } from '../model/profile'
import type { FeedDefinition, Site } from '../model/types'
import type { StoredArticle } from '../store/types'
import { checkAge, checkChannel, type Violation } from './check'
import { profileViolationsKey } from './fragments'
import type { Selection } from './select'

/** One line of the report: `feed: article: rule: detail`, the article `(feed)` for feed rules. */
export interface ReportLine {
  feed: string
  article: string
  rule: string
  detail: string
  hard: boolean
}

/** What one format of a profile feed holds: how many items, and which articles it left out. */
export interface ServedFormat {
  format: string
  kept: number
  left: Selection['left']
}

/** Formats a report line the way `npm run check:feeds` prints it. */
export function formatReportLine(line: ReportLine): string {
  return `${line.feed}: ${line.article}: ${line.rule}: ${line.detail}${line.hard ? '' : ' (reported, not enforced)'}`
}

function storedViolations(rules: ProfileRules, article: StoredArticle): Violation[] {
  const stored = article.fragments[profileViolationsKey(rules)]
  return stored ? (JSON.parse(stored) as Violation[]) : []
}

// Articles the feed itself left out beyond their own rules (the byte budget, never checked),
// once each; a format named when not every format left it out.
function selectionLines(
  name: string,
  served: readonly ServedFormat[],
  slugOf: (id: string) => string,
): ReportLine[] {
  const seen = new Map<string, { line: ReportLine; formats: string[] }>()
  for (const { format, left } of served) {
    for (const { id, violations } of left) {
      for (const v of violations.filter((v) => v.rule === 'feed-bytes' || v.rule === 'unchecked')) {
        const key = `${id}\n${v.rule}\n${v.detail}`
        const entry = seen.get(key) ?? {
          line: { feed: name, article: slugOf(id), ...v },
          formats: [],
        }
        entry.formats.push(format)
        seen.set(key, entry)
      }
    }
  }
  return [...seen.values()].map(({ line, formats }) =>
    formats.length === served.length
      ? line
      : { ...line, detail: `${line.detail} (${formats.join(', ')})` },
  )
}

/**
 * Every rule each article of each profile feed breaks (on day `now`), what each feed left out
 * to keep within its byte budget, and every feed-level rule the site breaks. `articles` are
 * newest first, with their fragments; `served` says what each format of a profile feed holds.
 */
export function profileReport(
  site: Site,
  feeds: readonly FeedDefinition[],
  articles: readonly StoredArticle[],
  now: number,
  served: (feed: FeedDefinition) => readonly ServedFormat[],
): ReportLine[] {
  const lines: ReportLine[] = []
  const slugs = new Map(articles.map((a) => [a.id, a.slug]))
  for (const feed of feeds) {
    const rules = feed.profile
    if (!rules) continue
    const name = feed.path.replace(/^feeds\//, '')
    for (const article of articles.filter((a) => matchesFilter(a, feed.filter))) {
      const age = checkAge(rules, article.published, now)
      for (const v of [...storedViolations(rules, article), ...(age ? [age] : [])])
        lines.push({ feed: name, article: article.slug, ...v })
    }
    const formats = served(feed)
    lines.push(...selectionLines(name, formats, (id) => slugs.get(id) ?? id))
    const count = Math.min(...formats.map((f) => f.kept))
    for (const v of checkChannel(rules, site, count))
      lines.push({ feed: name, article: '(feed)', ...v })
  }
  return lines
}
