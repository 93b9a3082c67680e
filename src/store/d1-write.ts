import type { Article } from '../model/types'
import type { SqlDatabase, SqlStatement } from './d1'
import type { StoredArticle } from './types'

/** A conditional write whose `If-Match` did not hold (RFC 9110 §13.1.1). */
export class PreconditionFailed extends Error {
  override name = 'PreconditionFailed'
}

/** An article as stored: the article, its fragments and its ETag. */
export interface StoredRecord {
  article: StoredArticle
  etag: string
}

/** D1 holds at most 2,000,000 bytes in one row (its documented limit); a little is kept spare. */
export const MAX_ROW_BYTES = 1_990_000

/** The feeds an article belongs to, as (kind, slug) membership keys. */
export function membershipsOf(article: Article): [string, string][] {
  return [
    ['site', ''],
    ...article.categories.map((c): [string, string] => ['category', c.slug]),
    ['author', article.author.slug],
    ...article.tags.map((t): [string, string] => ['tag', t.slug]),
  ]
}

/** A strong ETag of an article and its fragments: equal content, equal tag. */
export async function articleEtag(article: StoredArticle): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(article))
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
  return `"${btoa(String.fromCharCode(...digest.slice(0, 12)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')}"`
}

const encoder = new TextEncoder()

/** The rows an article takes that pass D1's row limit: `[what, bytes]`, none when it fits. */
export function oversizedRows(article: StoredArticle): [string, number][] {
  const { fragments, ...model } = article
  const rows: [string, string][] = [
    ['the article', JSON.stringify(model)],
    ...Object.entries(fragments),
  ]
  return rows
    .map(([what, text]): [string, number] => [what, encoder.encode(text).byteLength])
    .filter(([, bytes]) => bytes > MAX_ROW_BYTES)
}

/** The stored article with this id, if any. */
export async function readArticle(db: SqlDatabase, id: string): Promise<StoredRecord | undefined> {
  const [article, fragments] = await db.batch([
    db.prepare('SELECT article, etag FROM articles WHERE id = ?').bind(id),
    db.prepare('SELECT key, body FROM fragments WHERE id = ?').bind(id),
  ])
  const row = article?.results[0] as { article: string; etag: string } | undefined
  if (!row) return undefined
  const parts = (fragments?.results ?? []) as { key: string; body: string }[]
  return {
    article: {
      ...(JSON.parse(row.article) as Article),
      fragments: Object.fromEntries(parts.map(({ key, body }) => [key, body])),
    },
    etag: row.etag,
  }
}

// Statements after the article row take effect only if that row is the one this batch wrote:
// a concurrent write of the same id turns them into no-ops instead of tearing the article.
const WROTE = '(SELECT etag FROM articles WHERE id = ?) = ?'

type Guard = [condition: string, values: unknown[]]

// Whether the article a write replaces (or deletes) is visible at `now`, noted before the write.
function noteReplaced(db: SqlDatabase, id: string, now: string): SqlStatement[] {
  return [
    db.prepare('DELETE FROM replaced'),
    db
      .prepare(
        'INSERT INTO replaced (visible) SELECT 1 FROM articles WHERE id = ? AND published <= ?',
      )
      .bind(id, now),
  ]
}

/**
 * Statistics follow the memberships as they are inside the transaction, not as read before
 * it: the feeds an article leaves are noted in `touched` and counted down, those it joins
 * counted up, and each touched feed's newest update read off the end of an index.
 */
function leaveFeeds(db: SqlDatabase, id: string, [condition, values]: Guard): SqlStatement[] {
  return [
    db.prepare('DELETE FROM touched'),
    db
      .prepare(
        `INSERT INTO touched (kind, slug) SELECT kind, slug FROM memberships WHERE id = ? AND ${condition}`,
      )
      .bind(id, ...values),
    db
      .prepare(
        `UPDATE feed_stats SET count = count - 1 WHERE (kind, slug) IN (SELECT kind, slug FROM memberships WHERE id = ?) AND ${condition}`,
      )
      .bind(id, ...values),
    db.prepare(`DELETE FROM memberships WHERE id = ? AND ${condition}`).bind(id, ...values),
    db.prepare(`DELETE FROM fragments WHERE id = ? AND ${condition}`).bind(id, ...values),
  ]
}

function joinFeeds(db: SqlDatabase, article: StoredArticle, etag: string): SqlStatement[] {
  const { id, published, updated } = article
  return [
    ...Object.entries(article.fragments).map(([key, body]) =>
      db
        .prepare(`INSERT INTO fragments (id, key, body) SELECT ?, ?, ? WHERE ${WROTE}`)
        .bind(id, key, body, id, etag),
    ),
    ...membershipsOf(article).map(([kind, slug]) =>
      db
        .prepare(
          `INSERT INTO memberships (kind, slug, published, id, updated) SELECT ?, ?, ?, ?, ? WHERE ${WROTE}`,
        )
        .bind(kind, slug, published, id, updated, id, etag),
    ),
    db
      .prepare(
        `INSERT OR IGNORE INTO touched (kind, slug) SELECT kind, slug FROM memberships WHERE id = ? AND ${WROTE}`,
      )
      .bind(id, id, etag),
    db
      .prepare(
        `INSERT INTO feed_stats (kind, slug, count, updated) SELECT kind, slug, 1, updated FROM memberships WHERE id = ? AND ${WROTE}
         ON CONFLICT (kind, slug) DO UPDATE SET count = count + 1`,
      )
      .bind(id, id, etag),
    ...article.tags.map((tag) =>
      db
        .prepare(
          `INSERT INTO tags (slug, name) SELECT ?, ? WHERE ${WROTE} ON CONFLICT (slug) DO NOTHING`,
        )
        .bind(tag.slug, tag.name, id, etag),
    ),
  ]
}

/**
 * Each touched feed's newest update settles; its revision turns over when a reader would see
 * the change: the article was visible before, or is now. A scheduled article that stays ahead
 * changes no feed until its minute, which the feed's state reads off the clock.
 */
function settleFeeds(db: SqlDatabase, revision: string, visibleNow: boolean): SqlStatement[] {
  return [
    db.prepare(
      `UPDATE feed_stats SET updated = COALESCE((SELECT MAX(m.updated) FROM memberships m WHERE m.kind = feed_stats.kind AND m.slug = feed_stats.slug), '')
       WHERE (kind, slug) IN (SELECT kind, slug FROM touched)`,
    ),
    db
      .prepare(
        'UPDATE feed_stats SET revision = ? WHERE (kind, slug) IN (SELECT kind, slug FROM touched) AND (? OR EXISTS (SELECT 1 FROM replaced))',
      )
      .bind(revision, visibleNow ? 1 : 0),
    db.prepare(
      "DELETE FROM tags WHERE slug IN (SELECT slug FROM touched WHERE kind = 'tag') AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.kind = 'tag' AND m.slug = tags.slug)",
    ),
    db.prepare('DELETE FROM touched'),
    db.prepare('DELETE FROM replaced'),
  ]
}

// An article ahead of `now` waits in `scheduled` for its minute; one that is out does not.
function schedule(
  db: SqlDatabase,
  article: StoredArticle,
  etag: string,
  now: string,
): SqlStatement {
  return article.published > now
    ? db
        .prepare(
          `INSERT INTO scheduled (id, published) SELECT ?, ? WHERE ${WROTE}
           ON CONFLICT (id) DO UPDATE SET published = excluded.published`,
        )
        .bind(article.id, article.published, article.id, etag)
    : db
        .prepare(`DELETE FROM scheduled WHERE id = ? AND ${WROTE}`)
        .bind(article.id, article.id, etag)
}

/** One write: the article, the write counter (`version`, never the same twice) and the clock. */
export interface ArticleWrite {
  article: StoredArticle
  etag: string
  /** Replace the row only while its ETag is this one. */
  ifMatch?: string
  version: string
  now: number
}

/**
 * The statements of one article's write, in order, for one batch (one transaction): row,
 * fragments, memberships, tags, feed statistics and revisions, its place among scheduled
 * articles, and the write counter. The first statement is the row's own: its `changes` say
 * whether a conditional write held. Several articles' statements may share one batch.
 */
export function writeStatements(db: SqlDatabase, write: ArticleWrite): SqlStatement[] {
  const { article, etag, ifMatch, version } = write
  const now = new Date(write.now).toISOString()
  const { fragments: _fragments, ...model } = article
  const values = [article.slug, article.published, article.updated, etag, JSON.stringify(model)]
  // A conditional write only ever replaces the row it was conditioned on: an UPDATE, so an
  // article deleted meanwhile stays deleted instead of coming back through an upsert.
  const row = ifMatch
    ? db
        .prepare(
          'UPDATE articles SET slug = ?, published = ?, updated = ?, etag = ?, article = ? WHERE id = ? AND etag = ?',
        )
        .bind(...values, article.id, ifMatch)
    : db
        .prepare(
          `INSERT INTO articles (slug, published, updated, etag, article, id) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET slug = excluded.slug, published = excluded.published, updated = excluded.updated,
       etag = excluded.etag, article = excluded.article`,
        )
        .bind(...values, article.id)
  return [
    ...noteReplaced(db, article.id, now),
    row,
    ...leaveFeeds(db, article.id, [WROTE, [article.id, etag]]),
    ...joinFeeds(db, article, etag),
    ...settleFeeds(db, version, article.published <= now),
    schedule(db, article, etag, now),
    db
      .prepare(`UPDATE meta SET value = ? WHERE key = 'version' AND ${WROTE}`)
      .bind(version, article.id, etag),
  ]
}

/** Where the row's own statement sits in `writeStatements`. */
const ROW_STATEMENT = 2

/**
 * Creates or replaces an article in one batch (one transaction). With `ifMatch`, the row is
 * replaced only while its ETag is still that one. Returns the new ETag.
 */
export async function writeArticle(
  db: SqlDatabase,
  write: Omit<ArticleWrite, 'etag'>,
): Promise<string> {
  const etag = await articleEtag(write.article)
  const results = await db.batch(writeStatements(db, { ...write, etag }))
  if (write.ifMatch && results[ROW_STATEMENT]?.meta.changes === 0)
    throw new PreconditionFailed('the article changed since that ETag')
  return etag
}

/** Deletes an article (conditionally with `ifMatch`) and everything that points at it. */
export async function deleteArticle(
  db: SqlDatabase,
  record: { id: string; ifMatch?: string; version: string; now: number },
): Promise<void> {
  const { id, ifMatch, version } = record
  const gone: Guard = ['NOT EXISTS (SELECT 1 FROM articles WHERE id = ?)', [id]]
  const results = await db.batch([
    ...noteReplaced(db, id, new Date(record.now).toISOString()),
    db
      .prepare(`DELETE FROM articles WHERE id = ?${ifMatch ? ' AND etag = ?' : ''}`)
      .bind(id, ...(ifMatch ? [ifMatch] : [])),
    ...leaveFeeds(db, id, gone),
    ...settleFeeds(db, version, false),
    db.prepare(`DELETE FROM scheduled WHERE id = ? AND ${gone[0]}`).bind(id, id),
    db.prepare(`UPDATE meta SET value = ? WHERE key = 'version' AND ${gone[0]}`).bind(version, id),
  ])
  if (ifMatch && results[ROW_STATEMENT]?.meta.changes === 0)
    throw new PreconditionFailed('the article changed since that ETag')
}
