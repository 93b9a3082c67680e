import type { Article } from '../model/types'
import { type ArticleRow, type SqlDatabase, type SqlStatement, toStored } from './d1'
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

/** The stored article with this id, if any. */
export async function readArticle(db: SqlDatabase, id: string): Promise<StoredRecord | undefined> {
  const row = await db
    .prepare('SELECT article, rss, atom, json, extra, etag FROM articles WHERE id = ?')
    .bind(id)
    .first<ArticleRow & { etag: string }>()
  return row ? { article: toStored(row), etag: row.etag } : undefined
}

// Statements after the article row take effect only if that row is the one this batch wrote:
// a concurrent write of the same id turns them into no-ops instead of tearing the article.
const WROTE = '(SELECT etag FROM articles WHERE id = ?) = ?'

type Guard = [condition: string, values: unknown[]]

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
  ]
}

function joinFeeds(db: SqlDatabase, article: StoredArticle, etag: string): SqlStatement[] {
  const { id, published, updated } = article
  return [
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

function settleFeeds(db: SqlDatabase): SqlStatement[] {
  return [
    db.prepare(
      `UPDATE feed_stats SET updated = COALESCE((SELECT MAX(m.updated) FROM memberships m WHERE m.kind = feed_stats.kind AND m.slug = feed_stats.slug), '')
       WHERE (kind, slug) IN (SELECT kind, slug FROM touched)`,
    ),
    db.prepare(
      "DELETE FROM tags WHERE slug IN (SELECT slug FROM touched WHERE kind = 'tag') AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.kind = 'tag' AND m.slug = tags.slug)",
    ),
    db.prepare('DELETE FROM touched'),
  ]
}

/**
 * Creates or replaces an article in one batch (one transaction): row, memberships, tags, feed
 * statistics and a new content version. With `ifMatch`, the row is replaced only while its
 * ETag is still that one. Returns the new ETag.
 */
export async function writeArticle(
  db: SqlDatabase,
  record: { article: StoredArticle; ifMatch?: string; version: string },
): Promise<string> {
  const { article, ifMatch, version } = record
  const etag = await articleEtag(article)
  const { fragments, ...model } = article
  const { rss, atom, json, ...extra } = fragments
  const values = [
    article.slug,
    article.published,
    article.updated,
    etag,
    JSON.stringify(model),
    rss,
    atom,
    json,
    JSON.stringify(extra),
  ]
  // A conditional write only ever replaces the row it was conditioned on: an UPDATE, so an
  // article deleted meanwhile stays deleted instead of coming back through an upsert.
  const upsert = ifMatch
    ? db
        .prepare(
          'UPDATE articles SET slug = ?, published = ?, updated = ?, etag = ?, article = ?, rss = ?, atom = ?, json = ?, extra = ? WHERE id = ? AND etag = ?',
        )
        .bind(...values, article.id, ifMatch)
    : db
        .prepare(
          `INSERT INTO articles (slug, published, updated, etag, article, rss, atom, json, extra, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET slug = excluded.slug, published = excluded.published, updated = excluded.updated,
       etag = excluded.etag, article = excluded.article, rss = excluded.rss, atom = excluded.atom, json = excluded.json, extra = excluded.extra`,
        )
        .bind(...values, article.id)
  const results = await db.batch([
    upsert,
    ...leaveFeeds(db, article.id, [WROTE, [article.id, etag]]),
    ...joinFeeds(db, article, etag),
    ...settleFeeds(db),
    db
      .prepare(`UPDATE meta SET value = ? WHERE key = 'version' AND ${WROTE}`)
      .bind(version, article.id, etag),
  ])
  if (ifMatch && results[0]?.meta.changes === 0)
    throw new PreconditionFailed('the article changed since that ETag')
  return etag
}

/** Deletes an article (conditionally with `ifMatch`) and everything that points at it. */
export async function deleteArticle(
  db: SqlDatabase,
  record: { id: string; ifMatch?: string; version: string },
): Promise<void> {
  const { id, ifMatch, version } = record
  const gone: Guard = ['NOT EXISTS (SELECT 1 FROM articles WHERE id = ?)', [id]]
  const results = await db.batch([
    db
      .prepare(`DELETE FROM articles WHERE id = ?${ifMatch ? ' AND etag = ?' : ''}`)
      .bind(id, ...(ifMatch ? [ifMatch] : [])),
    ...leaveFeeds(db, id, gone),
    ...settleFeeds(db),
    db.prepare(`UPDATE meta SET value = ? WHERE key = 'version' AND ${gone[0]}`).bind(version, id),
  ])
  if (ifMatch && results[0]?.meta.changes === 0)
    throw new PreconditionFailed('the article changed since that ETag')
}
