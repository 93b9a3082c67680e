/**
 * The D1 database of wrangler.toml's `d1` environment, from Node, through wrangler's platform
 * proxy: the local one under .wrangler/state (the very file `wrangler dev --env d1` serves), or
 * with `remote` the deployed one (wrangler's remote bindings: it needs `wrangler login` or
 * CLOUDFLARE_API_TOKEN, and the real database_id in wrangler.toml). Either way the import
 * sends the same bound statements through the same D1 API.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { getPlatformProxy } from 'wrangler'
import type { SqlDatabase } from '../src/store/d1'
import { ROOT } from './content-files'

function offline(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    WRANGLER_SEND_METRICS: 'false',
    WRANGLER_HIDE_BANNER: 'true',
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    XDG_CONFIG_HOME: join(ROOT, '.wrangler/config'),
  }
}

/**
 * Applies a database's migrations (wrangler's own command: it records what it applied):
 * migrations/ to the articles' database of the d1 environment by default; locally, into the
 * default .wrangler/state or `persistTo`.
 */
export function applyMigrations(
  remote: boolean,
  database = 'newswire',
  env: string | undefined = 'd1',
  persistTo?: string,
): void {
  execFileSync(
    'sh',
    [
      'scripts/wrangler.sh',
      'd1',
      'migrations',
      'apply',
      database,
      remote ? '--remote' : '--local',
      ...(env ? ['--env', env] : []),
      ...(persistTo ? ['--persist-to', persistTo] : []),
    ],
    { stdio: ['ignore', 'ignore', 'inherit'], cwd: ROOT, env: { ...offline(), CI: '1' } },
  )
}

const REMOTE_CONFIG = '.wrangler-remote-import.toml'

// wrangler.toml with the D1 binding marked remote, beside it so its relative paths hold.
function remoteConfig(): string {
  const config = readFileSync(join(ROOT, 'wrangler.toml'), 'utf8').replace(
    /(\[\[env\.d1\.d1_databases\]\]\nbinding = "DB"\n)/,
    '$1remote = true\n',
  )
  if (!config.includes('remote = true'))
    throw new Error('wrangler.toml has no [[env.d1.d1_databases]] binding "DB" to import into')
  const file = join(ROOT, REMOTE_CONFIG)
  writeFileSync(file, config)
  return file
}

/** The database and how to let it go. */
export async function connectD1(
  remote: boolean,
): Promise<{ db: SqlDatabase; dispose: () => Promise<void> }> {
  Object.assign(process.env, offline())
  const proxy = await getPlatformProxy<{ DB: SqlDatabase }>({
    configPath: remote ? remoteConfig() : join(ROOT, 'wrangler.toml'),
    environment: 'd1',
    envFiles: [],
    persist: { path: join(ROOT, '.wrangler/state/v3') },
    remoteBindings: remote,
  })
  return {
    db: proxy.env.DB,
    dispose: async () => {
      await proxy.dispose()
      rmSync(join(ROOT, REMOTE_CONFIG), { force: true })
    },
  }
}
