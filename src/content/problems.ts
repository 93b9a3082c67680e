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
