import { absoluteUrl } from '../model/url'
import type { Parsed } from './parse'
import type { ContentProblem } from './schema'

/** Collects every problem found while loading, so all are reported at once. */
export class Problems {
  readonly list: ContentProblem[] = []

  add(file: string, field: string, message: string): void {
    this.list.push({ file, field, message })
  }

  /** Keeps the value of a parse, or records its problems and returns undefined. */
  take<T>(parsed: Parsed<T>): T | undefined {
    if ('value' in parsed) return parsed.value
    this.list.push(...parsed.problems)
    return undefined
  }
}

/** `{ key: value }` when the value is defined, else `{}` (for `exactOptionalPropertyTypes`). */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]: V })
}

/** A URL reference made absolute against the site's base URL. */
export function absolute(reference: string | undefined, base: string): string | undefined {
  return reference === undefined ? undefined : absoluteUrl(reference, `${base}/`)
}

/**
 * A copy of `text` that holds nothing else alive. A string cut from a larger one (a front
 * matter value, a regular expression's match) can keep the whole file in memory for as long
 * as it lives; what a loader keeps for every article of an archive must not.
 */
export function detach(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string
}
