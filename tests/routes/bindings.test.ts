import { readFileSync } from 'node:fs'
import { parse } from 'smol-toml'
import { describe, expect, it } from 'vitest'

// The names the Bindings interface declares, read from its source: the interface is hand-kept.
function declaredBindings(): string[] {
  const source = readFileSync('src/routes/context.ts', 'utf8')
  const body = /export interface Bindings \{([\s\S]*?)\n\}/.exec(source)?.[1]
  if (body === undefined) throw new Error('no `export interface Bindings` in src/routes/context.ts')
  return [...body.matchAll(/^ {2}([A-Z_]+)\?:/gm)].map((m) => m[1] as string).sort()
}

type Table = Record<string, unknown>

// Bindings of one wrangler.toml environment (the top level or an [env.*] table).
function bindingsOf(env: Table): string[] {
  const list = (key: string, field: string) =>
    ((env[key] ?? []) as Table[]).map((entry) => entry[field] as string)
  const assets = env.assets as Table | undefined
  return [
    ...(assets?.binding ? [assets.binding as string] : []),
    ...list('d1_databases', 'binding'),
    ...list('ratelimits', 'name'),
    ...((((env.queues ?? {}) as Table).producers ?? []) as Table[]).map(
      (entry) => entry.binding as string,
    ),
    ...Object.keys((env.vars ?? {}) as Table),
  ]
}

function wranglerNames(): string[] {
  const text = readFileSync('wrangler.toml', 'utf8')
  const config = parse(text) as Table
  const envs = Object.values((config.env ?? {}) as Record<string, Table>)
  // Secrets live outside the file; its comments name each `wrangler secret put NAME`.
  const secrets = [...text.matchAll(/wrangler secret put ([A-Z_]+)/g)].map((m) => m[1] as string)
  return [...new Set([...bindingsOf(config), ...envs.flatMap(bindingsOf), ...secrets])].sort()
}

// Test fixtures vitest.config.ts adds beside the Worker's own bindings; the app reads none.
const TEST_ONLY = [
  'DB_OTHER',
  'TEST_MIGRATIONS',
  'TEST_STATS_MIGRATIONS',
  'TEST_FEDERATION_MIGRATIONS',
]

function vitestNames(): string[] {
  const source = readFileSync('vitest.config.ts', 'utf8')
  const d1 = /d1Databases: \[([^\]]*)\]/.exec(source)?.[1] ?? ''
  const bindings = /bindings: \{([\s\S]*?)\n {14}\}/.exec(source)?.[1] ?? ''
  return [
    ...[...d1.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1] as string),
    ...[...bindings.matchAll(/^\s+([A-Z_]+):/gm)].map((m) => m[1] as string),
  ]
}

describe('Bindings against wrangler.toml', () => {
  it('declares every binding, variable and secret wrangler.toml names, and no other', () => {
    expect(declaredBindings()).toEqual(wranglerNames())
  })

  it('reads the names this test expects from the files (the parsers find them)', () => {
    expect(wranglerNames()).toEqual([
      'API_TOKEN',
      'ASSETS',
      'AUTH_LIMITER',
      'DB',
      'FEDERATION',
      'FEDERATION_DEV',
      'FEDERATION_QUEUE',
      'STATS',
      'STATS_SECRET',
      'STATS_TOKEN',
      'WEBSUB_HUB',
    ])
    expect(vitestNames().sort()).toEqual([
      'API_TOKEN',
      'DB',
      'DB_OTHER',
      'FEDERATION',
      'STATS',
      'STATS_TOKEN',
      'TEST_FEDERATION_MIGRATIONS',
      'TEST_MIGRATIONS',
      'TEST_STATS_MIGRATIONS',
    ])
  })

  it('declares every binding the tests give the Worker, fixtures aside', () => {
    const declared = new Set(declaredBindings())
    for (const name of vitestNames())
      expect(declared.has(name) !== TEST_ONLY.includes(name), name).toBe(true)
  })
})
