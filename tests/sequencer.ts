import { relative } from 'node:path'
import { BaseSequencer, type TestSpecification } from 'vitest/node'

// Files that start another program (workerd through wrangler, Chromium) take 10 to 90 s each;
// the rest take a few seconds at most.
const STARTS_PROGRAMS = /^tests\/(e2e|browser)\//

/**
 * vitest's order (by the last run's durations, or by size when none are cached, as after `npm
 * ci`), with the files that start programs moved to the front: begun last, one of them would
 * leave a worker running alone at the end.
 */
export class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files)
    const long = (spec: TestSpecification) =>
      STARTS_PROGRAMS.test(relative(spec.project.config.root, spec.moduleId))
    return [...sorted.filter(long), ...sorted.filter((spec) => !long(spec))]
  }
}
