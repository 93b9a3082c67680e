import type { SqlDatabase } from './d1'
import { articleEtag, writeStatements } from './d1-write'
import type { StoredArticle } from './types'

/**
 * How large one batch may be: D1 takes at most 100 bound parameters a statement (the ETag
 * lookup binds one per article) and answers a batch within 30 seconds; a batch of whole
 * articles is one transaction, so readers never see a torn one.
 */
export const BATCH_ARTICLES = 50
export const BATCH_BYTES = 4_000_000

/** What one batch did: articles written (new or changed) and those already stored as they are. */
export interface ImportCount {
  written: number
  unchanged: number
}

const encoder = new TextEncoder()

/** Bytes an article binds into its statements: its model and its fragments. */
export function storedBytes(article: StoredArticle): number {
  const { fragments, ...model } = article
  let bytes = encoder.encode(JSON.stringify(model)).byteLength
  for (const text of Object.values(fragments)) bytes += encoder.encode(text).byteLength
  return bytes
}

/**
 * Writes one batch of articles in one D1 batch (one transaction) with the publish API's own
 * statements: bound parameters, never content spliced into SQL. An article whose stored ETag
 * equals its new one is left alone, so a rerun writes nothing and a resumed import writes only
 * what the interrupted one had not. `version` names this batch's write (never reused).
 */
export async function importBatch(
  db: SqlDatabase,
  articles: readonly StoredArticle[],
  options: { now: number; version: string },
): Promise<ImportCount> {
  if (articles.length === 0) return { written: 0, unchanged: 0 }
  const ids = articles.map((a) => a.id)
  const { results } = await db
    .prepare(`SELECT id, etag FROM articles WHERE id IN (${ids.map(() => '?').join(', ')})`)
    .bind(...ids)
    .all<{ id: string; etag: string }>()
  const stored = new Map(results.map((row) => [row.id, row.etag]))
  const etags = await Promise.all(articles.map(articleEtag))
  const changed = articles.flatMap((article, i) =>
    stored.get(article.id) === etags[i] ? [] : [{ article, etag: etags[i] as string }],
  )
  if (changed.length > 0)
    await db.batch(
      changed.flatMap((write) => writeStatements(db, { ...write, ...options })),
    )
  return { written: changed.length, unchanged: articles.length - changed.length }
}

/**
 * Groups articles into batches of at most BATCH_ARTICLES and about BATCH_BYTES (an article
 * larger than that goes alone): memory holds one batch, never the archive.
 */
export async function* batchesOf(
  articles: AsyncIterable<StoredArticle>,
): AsyncGenerator<StoredArticle[]> {
  let batch: StoredArticle[] = []
  let bytes = 0
  for await (const article of articles) {
    const size = storedBytes(article)
    if (batch.length > 0 && (batch.length >= BATCH_ARTICLES || bytes + size > BATCH_BYTES)) {
      yield batch
      batch = []
      bytes = 0
    }
    batch.push(article)
    bytes += size
  }
  if (batch.length > 0) yield batch
}

/**
 * Imports every article of `articles` batch by batch; `progress` hears after each. Returns the
 * totals. A failure stops the import where it is: every batch before it is complete, and a
 * rerun skips them.
 */
export async function importArticles(
  db: SqlDatabase,
  articles: AsyncIterable<StoredArticle>,
  options: { now: number; run: string; progress?: (count: ImportCount) => void },
): Promise<ImportCount> {
  const total: ImportCount = { written: 0, unchanged: 0 }
  let index = 0
  for await (const batch of batchesOf(articles)) {
    const count = await importBatch(db, batch, {
      now: options.now,
      version: `import-${options.run}-${index++}`,
    })
    total.written += count.written
    total.unchanged += count.unchanged
    options.progress?.(count)
  }
  return total
}
