import type { ProfileRules } from '../model/profile'
import { checkAge, type Violation } from './check'

/** An item that may go into a profile's feed, newest first, as the store gives it. */
export interface ProfileCandidate {
  id: string
  published: string
  /** Bytes of its item in this profile's feed. */
  bytes: number
  /** The hard rules it breaks whatever the day (stored with the article). */
  violations: readonly Violation[]
}

/** Which candidates a profile's feed holds, and why the others are not in it. */
export interface Selection {
  /** Indices into the candidates, newest first. */
  chosen: number[]
  left: { id: string; violations: Violation[] }[]
}

/**
 * Newest first: articles that break a hard rule (their age on `now` included) are left out,
 * never cut; then at most `maxItems`; then, while the feed's bytes (`frameBytes` for the head
 * and tail, plus every item) exceed `maxFeedBytes`, the oldest chosen item is dropped.
 */
export function selectItems(
  rules: ProfileRules,
  candidates: readonly ProfileCandidate[],
  now: number,
  frameBytes: number,
): Selection {
  const chosen: number[] = []
  const left: Selection['left'] = []
  candidates.forEach((candidate, index) => {
    const age = checkAge(rules, candidate.published, now)
    const violations = [...candidate.violations, ...(age ? [age] : [])].filter((v) => v.hard)
    if (violations.length > 0) left.push({ id: candidate.id, violations })
    else if (chosen.length < rules.maxItems) chosen.push(index)
  })
  if (rules.maxFeedBytes !== undefined) {
    let total = frameBytes + chosen.reduce((sum, index) => sum + (candidates[index]?.bytes ?? 0), 0)
    while (total > rules.maxFeedBytes && chosen.length > 0) {
      const oldest = chosen.pop() as number
      const candidate = candidates[oldest] as ProfileCandidate
      total -= candidate.bytes
      left.push({
        id: candidate.id,
        violations: [
          {
            rule: 'feed-bytes',
            detail: `dropped, oldest first, to keep the feed within ${rules.maxFeedBytes} bytes`,
            hard: true,
          },
        ],
      })
    }
  }
  return { chosen, left }
}
