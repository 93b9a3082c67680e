import type { ContentProblem } from './schema'

/** Formats one problem the way every report prints it: `file: field: message`. */
export function formatProblem(problem: ContentProblem): string {
  return `${problem.file}: ${problem.field}: ${problem.message}`
}

/** Content that cannot be published; carries every problem found, not only the first. */
export class ContentError extends Error {
  override name = 'ContentError'
  readonly problems: readonly ContentProblem[]

  constructor(problems: readonly ContentProblem[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`
    super(`content has ${count}:\n${problems.map(formatProblem).join('\n')}`)
    this.problems = problems
  }
}
