import { applyD1Migrations } from 'cloudflare:test'
import { env } from 'cloudflare:workers'

// Every test file starts with empty databases at the schemas of migrations/ (articles) and
// migrations-stats/ (statistics).
const bindings = env as unknown as {
  DB: D1Database
  STATS: D1Database
  TEST_MIGRATIONS: Parameters<typeof applyD1Migrations>[1]
  TEST_STATS_MIGRATIONS: Parameters<typeof applyD1Migrations>[1]
}
await applyD1Migrations(bindings.DB, bindings.TEST_MIGRATIONS)
await applyD1Migrations(bindings.STATS, bindings.TEST_STATS_MIGRATIONS)
