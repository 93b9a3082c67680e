import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/workers/**'],
          testTimeout: 30_000,
        },
      },
      {
        plugins: [
          cloudflareTest(async () => ({
            wrangler: { configPath: './wrangler.toml' },
            // A local D1 database (isolated per test file) with the migrations to apply, and a
            // publish token, beside the Worker's own configuration.
            miniflare: {
              d1Databases: ['DB'],
              bindings: {
                TEST_MIGRATIONS: await readD1Migrations('migrations'),
                API_TOKEN: 'test-token',
              },
            },
          })),
        ],
        test: {
          name: 'workers',
          include: ['tests/workers/**/*.test.ts'],
          setupFiles: ['tests/workers/apply-migrations.ts'],
        },
      },
    ],
  },
})
