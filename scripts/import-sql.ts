import type { BundleData } from '../src/store/bundled'
import { writeArticle } from '../src/store/d1-write'
import { SqlRecorder } from './sql-recorder'

/**
 * The SQL that loads a compiled bundle into D1: every article upserted by id with the very
 * statements the publish API runs (statistics, tags and version included), then the version
 * set from the content, so importing the same content twice changes nothing.
 */
export async function importStatements(bundle: BundleData): Promise<string[]> {
  const recorder = new SqlRecorder()
  const version = `import-${bundle.version}`
  // Oldest first, as they were published; the order does not change the result.
  for (const article of [...bundle.articles].reverse())
    await writeArticle(recorder, { article, version })
  return [...recorder.statements, `UPDATE meta SET value = '${version}' WHERE key = 'version';`]
}
