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
    .prepare('SELECT article, fragments, etag FROM articles WHERE id = ?')
    .bind(id)
    .first<{ article: string; fragments: string; etag: string }>()
  if (!row) return undefined
  return {
    article: { ...JSON.parse(row.article), fragments: JSON.parse(row.fragments) },
    etag: row.etag,
  }
}

function keyOf([kind, slug]: [string, string]): string {
  return `${kind}\u0000${slug}`
}

function unionOf(...lists: [string, string][][]): [string, string][] {
  const seen = new Map<string, [string, string]>()
  for (const list of lists) for (const pair of list) seen.set(keyOf(pair), pair)
  return [...seen.values()]
}

// Statements that follow the article row only take effect if that row is the one this batch
// wrote: a concurrent write of the same id makes them no-ops instead of tearing the article.
const WROTE = '(SELECT etag FROM articles WHERE id = ?) = ?'

function refreshStats(db: SqlDatabase, feeds: [string, string][]): SqlStatement[] {
  return feeds.map(([kind, slug]) =>
    db
      .prepare(
        `INSERT OR REPLACE INTO feed_stats (kind, slug, count, updated)
         SELECT ?, ?, COUNT(*), COALESCE(MAX(updated), '') FROM memberships WHERE kind = ? AND slug = ?`,
      )
      .bind(kind, slug, kind, slug),
  )
}

function dropOrphanTags(db: SqlDatabase, slugs: string[]): SqlStatement[] {
  return slugs.map((slug) =>
    db
      .prepare(
        "DELETE FROM tags WHERE slug = ? AND NOT EXISTS (SELECT 1 FROM memberships WHERE kind = 'tag' AND slug = ?)",
      )
      .bind(slug, slug),
  )
}

/**
 * Creates or replaces an article in one batch (one transaction): row, memberships, tags, feed
 * statistics and a new content version. With `ifMatch`, the row is replaced only while its
 * ETag is still that one. Returns the new ETag.
 */
export async function writeArticle(
  db: SqlDatabase,
  record: {
    article: StoredArticle
    previous: Article | undefined
    ifMatch?: string
    version: string
  },
): Promise<string> {
  const { article, previous, ifMatch, version } = record
  const etag = await articleEtag(article)
  const { fragments, ...model } = article
  const upsert = db
    .prepare(
      `INSERT INTO articles (id, slug, published, updated, etag, article, fragments) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET slug = excluded.slug, published = excluded.published, updated = excluded.updated,
       etag = excluded.etag, article = excluded.article, fragments = excluded.fragments${ifMatch ? ' WHERE articles.etag = ?' : ''}`,
    )
    .bind(
      article.id,
      article.slug,
      article.published,
      article.updated,
      etag,
      JSON.stringify(model),
      JSON.stringify(fragments),
      ...(ifMatch ? [ifMatch] : []),
    )
  const memberships = membershipsOf(article)
  const before = previous ? membershipsOf(previous) : []
  const results = await db.batch([
    upsert,
    db
      .prepare(`DELETE FROM memberships WHERE id = ? AND ${WROTE}`)
      .bind(article.id, article.id, etag),
    ...memberships.map(([kind, slug]) =>
      db
        .prepare(
          `INSERT INTO memberships (kind, slug, published, id, updated) SELECT ?, ?, ?, ?, ? WHERE ${WROTE}`,
        )
        .bind(kind, slug, article.published, article.id, article.updated, article.id, etag),
    ),
    ...article.tags.map((tag) =>
      db
        .prepare(
          `INSERT INTO tags (slug, name) SELECT ?, ? WHERE ${WROTE} ON CONFLICT (slug) DO NOTHING`,
        )
        .bind(tag.slug, tag.name, article.id, etag),
    ),
    ...refreshStats(db, unionOf(before, memberships)),
    ...dropOrphanTags(
      db,
      before.filter(([kind]) => kind === 'tag').map(([, slug]) => slug),
    ),
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
  record: { previous: Article; ifMatch?: string; version: string },
): Promise<void> {
  const { previous, ifMatch, version } = record
  const gone = 'NOT EXISTS (SELECT 1 FROM articles WHERE id = ?)'
  const before = membershipsOf(previous)
  const results = await db.batch([
    db
      .prepare(`DELETE FROM articles WHERE id = ?${ifMatch ? ' AND etag = ?' : ''}`)
      .bind(previous.id, ...(ifMatch ? [ifMatch] : [])),
    db.prepare(`DELETE FROM memberships WHERE id = ? AND ${gone}`).bind(previous.id, previous.id),
    ...refreshStats(db, before),
    ...dropOrphanTags(
      db,
      before.filter(([kind]) => kind === 'tag').map(([, slug]) => slug),
    ),
    db
      .prepare(`UPDATE meta SET value = ? WHERE key = 'version' AND ${gone}`)
      .bind(version, previous.id),
  ])
  if (ifMatch && results[0]?.meta.changes === 0)
    throw new PreconditionFailed('the article changed since that ETag')
}
