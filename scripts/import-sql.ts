import type { BundleData } from '../src/store/bundled'
import { writeArticle } from '../src/store/d1-write'
import { literal, SqlRecorder } from './sql-recorder'

/**
 * The SQL that loads a compiled bundle into D1: every article upserted by id with the very
 * statements the publish API runs (statistics, tags and version included), so importing the
 * same content twice leaves the same rows. The version is new on every run: articles published
 * through the API since the last import are part of the content too, and a version that came
 * back would let caches answer with what they held under it before.
 */
export async function importStatements(
  bundle: BundleData,
  run: string = crypto.randomUUID(),
): Promise<{ statements: string[]; version: string }> {
  const recorder = new SqlRecorder()
  const version = `import-${bundle.version}-${run}`
  // Oldest first, as they were published; the order does not change the result.
  for (const article of [...bundle.articles].reverse())
    await writeArticle(recorder, { article, version })
  const statements = [
    ...recorder.statements,
    `UPDATE meta SET value = ${literal(version)} WHERE key = 'version';`,
  ]
  return { statements, version }
}
