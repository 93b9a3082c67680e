import type { SqlDatabase, SqlStatement } from './d1'
import { articleEtag, membershipsOf } from './d1-write'
import type { StoredArticle } from './types'

/**
 * How large one batch may be: a batch of whole articles is one transaction, so readers never
 * see a torn one; D1 answers a batch within 30 seconds and takes at most 100 bound parameters
 * a statement, so rows go in several to a statement, within MAX_PARAMETERS and STATEMENT_BYTES.
 */
export const BATCH_ARTICLES = 50
export const BATCH_BYTES = 4_000_000
const MAX_PARAMETERS = 99
const STATEMENT_BYTES = 1_000_000

/** What one batch did: articles written (new or changed) and those already stored as they are. */
export interface ImportCount {
  written: number
  unchanged: number
}

const encoder = new TextEncoder()
const byteLength = (value: unknown) =>
  typeof value === 'string' ? encoder.encode(value).byteLength : 8

/** Bytes an article binds into its statements: its model and its fragments. */
export function storedBytes(article: StoredArticle): number {
  const { fragments, ...model } = article
  let bytes = byteLength(JSON.stringify(model))
  for (const text of Object.values(fragments)) bytes += byteLength(text)
  return bytes
}

/**
 * `INSERT … VALUES (…), (…) …` statements for `rows` (then `tail`: an upsert's ON CONFLICT),
 * as many rows to a statement as D1's bound-parameter limit and a byte bound allow: a local D1 spends about 2 ms a statement,
 * whatever it holds, so 10,000 one-row statements would take 20 s where these take a second.
 */
export function insertRows(
  db: SqlDatabase,
  head: string,
  tail: string,
  rows: readonly unknown[][],
): SqlStatement[] {
  const statements: SqlStatement[] = []
  let group: unknown[][] = []
  let bytes = 0
  const flush = () => {
    if (group.length === 0) return
    const values = group.map((row) => `(${row.map(() => '?').join(', ')})`).join(', ')
    statements.push(db.prepare(`${head} VALUES ${values} ${tail}`).bind(...group.flat()))
    group = []
    bytes = 0
  }
  for (const row of rows) {
    const size = row.reduce<number>((sum, value) => sum + byteLength(value), 0)
    const parameters = (group.length + 1) * row.length
    if (group.length > 0 && (parameters > MAX_PARAMETERS || bytes + size > STATEMENT_BYTES)) flush()
    group.push(row)
    bytes += size
  }
  flush()
  return statements
}

// One statement per slice of ids, each slice within the parameter limit.
function forIds(ids: readonly string[], make: (marks: string, ids: string[]) => SqlStatement) {
  const statements: SqlStatement[] = []
  for (let start = 0; start < ids.length; start += MAX_PARAMETERS - 1) {
    const part = ids.slice(start, start + MAX_PARAMETERS - 1)
    statements.push(make(part.map(() => '?').join(', '), part))
  }
  return statements
}

/**
 * The statements that write `writes` (one group of a batch) as the publish API would, article
 * by article, but several rows to a statement: rows, fragments, memberships, tags, each touched
 * feed's count, newest update and (when `visible`: the change is one readers see) revision,
 * the scheduled ones, and the write counter.
 */
function groupStatements(
  db: SqlDatabase,
  writes: readonly { article: StoredArticle; etag: string }[],
  options: { now: string; version: string; visible: boolean },
): SqlStatement[] {
  const ids = writes.map((w) => w.article.id)
  const { now, version, visible } = options
  const articles = writes.map(({ article, etag }) => {
    const { fragments: _fragments, ...model } = article
    return [
      article.id,
      article.slug,
      article.published,
      article.updated,
      etag,
      JSON.stringify(model),
    ]
  })
  const fragments = writes.flatMap(({ article }) =>
    Object.entries(article.fragments).map(([key, body]) => [article.id, key, body]),
  )
  const memberships = writes.flatMap(({ article }) =>
    membershipsOf(article).map(([kind, slug]) => [
      kind,
      slug,
      article.published,
      article.id,
      article.updated,
    ]),
  )
  const tags = [
    ...new Map(
      writes.flatMap(({ article }) => article.tags.map((t) => [t.slug, t.name])),
    ).entries(),
  ]
  const scheduled = writes
    .filter(({ article }) => article.published > now)
    .map(({ article }) => [article.id, article.published])
  return [
    db.prepare('DELETE FROM touched'),
    ...forIds(ids, (marks, part) =>
      db
        .prepare(
          `INSERT OR IGNORE INTO touched (kind, slug) SELECT kind, slug FROM memberships WHERE id IN (${marks})`,
        )
        .bind(...part),
    ),
    ...forIds(ids, (marks, part) =>
      db.prepare(`DELETE FROM memberships WHERE id IN (${marks})`).bind(...part),
    ),
    ...forIds(ids, (marks, part) =>
      db.prepare(`DELETE FROM fragments WHERE id IN (${marks})`).bind(...part),
    ),
    ...forIds(ids, (marks, part) =>
      db.prepare(`DELETE FROM scheduled WHERE id IN (${marks})`).bind(...part),
    ),
    ...insertRows(
      db,
      'INSERT INTO articles (id, slug, published, updated, etag, article)',
      'ON CONFLICT (id) DO UPDATE SET slug = excluded.slug, published = excluded.published, updated = excluded.updated, etag = excluded.etag, article = excluded.article',
      articles,
    ),
    ...insertRows(db, 'INSERT INTO fragments (id, key, body)', '', fragments),
    ...insertRows(
      db,
      'INSERT INTO memberships (kind, slug, published, id, updated)',
      '',
      memberships,
    ),
    ...insertRows(db, 'INSERT INTO tags (slug, name)', 'ON CONFLICT (slug) DO NOTHING', tags),
    ...insertRows(db, 'INSERT INTO scheduled (id, published)', '', scheduled),
    ...forIds(ids, (marks, part) =>
      db
        .prepare(
          `INSERT OR IGNORE INTO touched (kind, slug) SELECT kind, slug FROM memberships WHERE id IN (${marks})`,
        )
        .bind(...part),
    ),
    // Counted, not incremented: one count per touched feed per batch is cheaper than a
    // statement per article, and exact whatever the batch held before.
    db
      .prepare(
        `INSERT INTO feed_stats (kind, slug, count, updated, revision)
         SELECT t.kind, t.slug,
           (SELECT COUNT(*) FROM memberships m WHERE m.kind = t.kind AND m.slug = t.slug),
           COALESCE((SELECT MAX(m.updated) FROM memberships m WHERE m.kind = t.kind AND m.slug = t.slug), ''),
           ?1 FROM touched t WHERE true
         ON CONFLICT (kind, slug) DO UPDATE SET count = excluded.count, updated = excluded.updated,
           revision = CASE WHEN ?2 THEN excluded.revision ELSE feed_stats.revision END`,
      )
      .bind(version, visible ? 1 : 0),
    db.prepare(
      "DELETE FROM tags WHERE slug IN (SELECT slug FROM touched WHERE kind = 'tag') AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.kind = 'tag' AND m.slug = tags.slug)",
    ),
    db.prepare('DELETE FROM touched'),
    db.prepare("UPDATE meta SET value = ? WHERE key = 'version'").bind(version),
  ]
}

/**
 * Writes one batch of articles in one D1 batch (one transaction): bound parameters, never
 * content spliced into SQL. An article whose stored ETag equals its new one is left alone, so
 * a rerun writes nothing and a resumed import writes only what the interrupted one had not.
 * The feeds of articles that readers can see (now, or before this write) get a new revision,
 * named by `version` (never reused); those of articles scheduled before and after, none.
 */
export async function importBatch(
  db: SqlDatabase,
  articles: readonly StoredArticle[],
  options: { now: number; version: string },
): Promise<ImportCount> {
  if (articles.length === 0) return { written: 0, unchanged: 0 }
  const now = new Date(options.now).toISOString()
  const stored = new Map<string, { etag: string; published: string }>()
  for (const statement of forIds(
    articles.map((a) => a.id),
    (marks, part) =>
      db.prepare(`SELECT id, etag, published FROM articles WHERE id IN (${marks})`).bind(...part),
  )) {
    const { results } = await statement.all<{ id: string; etag: string; published: string }>()
    for (const row of results) stored.set(row.id, row)
  }
  const etags = await Promise.all(articles.map(articleEtag))
  const changed = articles.flatMap((article, i) =>
    stored.get(article.id)?.etag === etags[i] ? [] : [{ article, etag: etags[i] as string }],
  )
  // Readers see the change if they saw the article before this write, or see it now.
  const seen = ({ article }: (typeof changed)[number]) => {
    const before = stored.get(article.id)?.published
    return article.published <= now || (before !== undefined && before <= now)
  }
  const groups = [
    { writes: changed.filter(seen), visible: true },
    { writes: changed.filter((write) => !seen(write)), visible: false },
  ].filter((group) => group.writes.length > 0)
  if (groups.length > 0)
    await db.batch(
      groups.flatMap(({ writes, visible }) =>
        groupStatements(db, writes, { now, version: options.version, visible }),
      ),
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
