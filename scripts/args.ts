import { parseArgs } from 'node:util'

/** A mistake in a script's command line (an unknown option, a missing value). */
export class UsageError extends Error {}

/** A script's command line, read. */
export interface Args {
  /** The value of `--name value`, if given. */
  value(name: string): string | undefined
  /** Whether `--name` was given. */
  flag(name: string): boolean
  /** The words that are no option (sources, for `npm run migrate`). */
  positionals: string[]
}

/**
 * Reads a script's command line with node:util parseArgs: each of `valued` takes a value,
 * each of `flags` none; any other option is a UsageError that names it.
 */
export function readArgs(
  valued: readonly string[],
  flags: readonly string[] = [],
  args: string[] = process.argv.slice(2),
): Args {
  const options = Object.fromEntries([
    ...valued.map((name) => [name, { type: 'string' as const }]),
    ...flags.map((name) => [name, { type: 'boolean' as const }]),
  ])
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true })
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
  const { values, positionals } = parsed
  return {
    value: (name) => (typeof values[name] === 'string' ? values[name] : undefined),
    flag: (name) => values[name] === true,
    positionals,
  }
}
