/**
 * What migrate wrote, recorded in content/.migrate.json as each article file's hash, to tell its
 * own files from files edited by hand since: those are left as they are.
 */
import { createHash } from 'node:crypto'
import { type Existing, type Plan, STATE_FILE } from './types'

/** The SHA-256 of a file's text, as the record keeps it. */
export const sha = (text: string) => createHash('sha256').update(text).digest('hex')

/** The record of a previous run (empty before the first), and what this run will record. */
export interface State {
  before: Readonly<Record<string, string>>
  after: Record<string, string>
}

/** The record content/ holds, as this run starts from it. */
export function readState(existing: Existing): State {
  const text = existing.files.get(STATE_FILE)
  const before =
    (text ? (JSON.parse(text) as { articles?: Record<string, string> }).articles : {}) ?? {}
  return { before, after: { ...before } }
}

/**
 * Plans an article's text: written when new, or when changed and untouched by hand since the
 * last run; counted unchanged when the same; otherwise kept as it is and reported.
 */
export function planArticle(
  file: string,
  text: string,
  existing: Existing,
  state: State,
  plan: Plan,
): void {
  const current = existing.articles.get(file)?.sha
  const next = sha(text)
  if (current === undefined) {
    plan.writes.set(file, text)
    plan.report.imported += 1
    state.after[file] = next
  } else if (current === next) {
    plan.report.unchanged += 1
    state.after[file] = next
  } else if (state.before[file] === current) {
    plan.writes.set(file, text)
    plan.report.updated += 1
    state.after[file] = next
  } else plan.report.kept.push(file)
}

/** Writes the record when this run writes anything and the record changes. */
export function writeState(state: State, existing: Existing, plan: Plan): void {
  for (const file of plan.removes) delete state.after[file]
  const articles = Object.fromEntries(
    Object.entries(state.after).sort(([a], [b]) => (a < b ? -1 : 1)),
  )
  const text = `${JSON.stringify({ articles }, null, 1)}\n`
  if (existing.files.get(STATE_FILE) !== text && (plan.writes.size > 0 || plan.removes.length > 0))
    plan.writes.set(STATE_FILE, text)
}
