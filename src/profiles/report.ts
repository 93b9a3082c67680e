import { matchesFilter } from '../model/feeds'
import type { FeedDefinition, Site } from '../model/types'
import { profileExclusionKey } from '../render/profile'
import type { StoredArticle } from '../store/types'
import { checkAge, checkChannel, type Violation } from './check'
import { PROFILES, type ProfileRules } from './rules'

/** One line of the report: `feed: article: rule: detail`, the article `(feed)` for feed rules. */
export interface ReportLine {
  feed: string
  article: string
  rule: string
  detail: string
  hard: boolean
}

/** Formats a report line the way `npm run check:feeds` prints it. */
export function formatReportLine(line: ReportLine): string {
  return `${line.feed}: ${line.article}: ${line.rule}: ${line.detail}${line.hard ? '' : ' (reported, not enforced)'}`
}

function storedViolations(rules: ProfileRules, article: StoredArticle): Violation[] {
  const stored = article.fragments[profileExclusionKey(rules)]
  return stored ? (JSON.parse(stored) as Violation[]) : []
}

/**
 * Every rule each article of each profile feed breaks (on day `now`), and every feed-level rule
 * the site breaks. `articles` are newest first, with their fragments; `served` counts the items
 * each profile feed really holds (the byte budget may drop more than the rules do).
 */
export function profileReport(
  site: Site,
  feeds: readonly FeedDefinition[],
  articles: readonly StoredArticle[],
  now: number,
  served: (feed: FeedDefinition) => number,
): ReportLine[] {
  const lines: ReportLine[] = []
  for (const feed of feeds) {
    const rules = feed.profile ? PROFILES[feed.profile] : undefined
    if (!rules) continue
    const name = feed.path.replace(/^feeds\//, '')
    for (const article of articles.filter((a) => matchesFilter(a, feed.filter))) {
      const age = checkAge(rules, article.published, now)
      for (const v of [...storedViolations(rules, article), ...(age ? [age] : [])])
        lines.push({ feed: name, article: article.slug, ...v })
    }
    const count = served(feed)
    const eligible = articles.filter(
      (a) =>
        matchesFilter(a, feed.filter) &&
        !storedViolations(rules, a).length &&
        !checkAge(rules, a.published, now),
    ).length
    const window = Math.min(eligible, rules.maxItems, feed.maxItems)
    if (count < window) {
      const detail = `${window - count} oldest articles dropped to keep the feed within ${rules.maxFeedBytes} bytes`
      lines.push({ feed: name, article: '(feed)', rule: 'feed-bytes', detail, hard: true })
    }
    for (const v of checkChannel(rules, site, count))
      lines.push({ feed: name, article: '(feed)', ...v })
  }
  return lines
}
