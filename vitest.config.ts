import { relative } from 'node:path'
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'
import { BaseSequencer, type TestSpecification } from 'vitest/node'

// Files that start another program (workerd through wrangler, Chromium) take 10 to 90 s each;
// the rest take a few seconds at most.
const STARTS_PROGRAMS = /^tests\/(e2e|browser)\//

/**
 * vitest's order (by the last run's durations, or by size when none are cached, as after `npm
 * ci`), with the files that start programs moved to the front: begun last, one of them would
 * leave a worker running alone at the end.
 */
class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files)
    const long = (spec: TestSpecification) =>
      STARTS_PROGRAMS.test(relative(spec.project.config.root, spec.moduleId))
    return [...sorted.filter(long), ...sorted.filter((spec) => !long(spec))]
  }
}

export default defineConfig({
  test: {
    // vitest leaves one core of two idle (cores - 1 workers); most long files wait on a child
    // process (workerd, Chromium, tsx, xmllint), so two files at once use both cores.
    maxWorkers: 2,
    sequence: { sequencer: LongFilesFirst },
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
            // Local D1 databases (isolated per test file): the articles', a second articles' one for
            // tests that compare two newsrooms, the statistics' and the federation's (wrangler.toml
            // binds it, so every write through the API federates); with the migrations to apply,
            // and the publish and statistics tokens, beside the Worker's own configuration.
            // STATS_SECRET is left out: statistics are on only where a test passes it.
            miniflare: {
              d1Databases: ['DB', 'DB_OTHER', 'STATS', 'FEDERATION'],
              bindings: {
                TEST_MIGRATIONS: await readD1Migrations('migrations'),
                TEST_STATS_MIGRATIONS: await readD1Migrations('migrations-stats'),
                TEST_FEDERATION_MIGRATIONS: await readD1Migrations('migrations-federation'),
                // tests/helpers/tokens.ts holds the same two.
                API_TOKEN: 'test-publish-token-0123456789abcdef',
                STATS_TOKEN: 'test-stats-token-0123456789abcdefgh',
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
