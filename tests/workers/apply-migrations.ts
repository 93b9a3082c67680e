import { applyD1Migrations } from 'cloudflare:test'
import { env } from 'cloudflare:workers'

// Every test file starts with empty databases at the schemas of migrations/ (articles),
// migrations-stats/ (statistics) and migrations-federation/ (followers, keys, deliveries: a
// write through the API queues its deliveries there in the background).
const bindings = env as unknown as {
  DB: D1Database
  STATS: D1Database
  FEDERATION: D1Database
  TEST_MIGRATIONS: Parameters<typeof applyD1Migrations>[1]
  TEST_STATS_MIGRATIONS: Parameters<typeof applyD1Migrations>[1]
  TEST_FEDERATION_MIGRATIONS: Parameters<typeof applyD1Migrations>[1]
}
await applyD1Migrations(bindings.DB, bindings.TEST_MIGRATIONS)
await applyD1Migrations(bindings.STATS, bindings.TEST_STATS_MIGRATIONS)
await applyD1Migrations(bindings.FEDERATION, bindings.TEST_FEDERATION_MIGRATIONS)
