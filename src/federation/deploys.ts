import type { Catalog } from '../model/feeds'
import type { Article } from '../model/types'
import type { SqlDatabase } from '../store/d1'
import type { ArticleStore, ListedArticle } from '../store/types'
import type { FederationEnv } from './env'
import { actorFeeds, handleOf } from './handles'
import { handlesOf, planChange, planRemoval } from './plan'

/** Rows written in one D1 batch when a first run records an archive. */
const BATCH = 100

/** What followers were told of one slug, as the `announced` table keeps it. */
interface Told {
  slug: string
  updated: string
  id: string | null
  /** The actors whose followers were told; null when unknown (an archive nobody was told of). */
  handles: string[] | null
  revision: string | null
}

/** One row to write: an article as followers now know it. */
interface Row {
  id: string
  slug: string
  updated: string
  handles: readonly string[] | null
  revision: string | null
}

function remember(db: SqlDatabase, row: Row) {
  // Handles stay what they were when this write does not know them (a row filled in).
  return db
    .prepare(
      `INSERT INTO announced (slug, updated, article_id, handles, revision) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (slug) DO UPDATE SET updated = excluded.updated,
         article_id = excluded.article_id, revision = excluded.revision,
         handles = coalesce(excluded.handles, announced.handles)`,
    )
    .bind(row.slug, row.updated, row.id, row.handles?.join(' ') ?? null, row.revision)
}

async function recordAll(db: SqlDatabase, rows: readonly Row[]): Promise<void> {
  const statements = rows.map((row) => remember(db, row))
  for (let i = 0; i < statements.length; i += BATCH) await db.batch(statements.slice(i, i + BATCH))
}

const unread = (a: ListedArticle): Row => ({ ...a, handles: null, revision: null })

/** Records that followers were told of `articles` (scheduled ones, as they appear), and by which actors. */
export async function recordAnnounced(
  db: SqlDatabase,
  articles: readonly Article[],
  catalog: Catalog,
): Promise<void> {
  await recordAll(
    db,
    articles.map((a) => ({ ...a, handles: handlesOf(catalog, a), revision: null })),
  )
}

async function toldOf(db: SqlDatabase): Promise<Told[]> {
  const { results } = await db
    .prepare('SELECT slug, updated, article_id AS id, handles, revision FROM announced')
    .all<Omit<Told, 'handles'> & { handles: string | null }>()
  return results.map((row) => ({ ...row, handles: row.handles?.split(' ') ?? null }))
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x))

// The row followers know `item` by: its id's (a new slug is the same article), else its slug's
// when that row names no other article.
function rowOf(item: ListedArticle, bySlug: Map<string, Told>, byId: Map<string, Told>) {
  const bound = byId.get(item.id)
  if (bound) return bound
  const row = bySlug.get(item.slug)
  return row && (row.id === null || row.id === item.id) ? row : undefined
}

// An article gone from the bundle: a Delete to its actors' followers when they were told of it
// (its object is live), nothing when it was only recorded (an archive from the first run).
async function deliverRemoval(
  fed: FederationEnv,
  catalog: Catalog,
  row: Told,
  now: number,
): Promise<number> {
  const db = fed.db
  // A deleted object still counts: its row outliving it means the run that marked it stopped
  // before the Delete was sent (a repeated Delete is harmless; a lost one is not).
  const object = await db
    .prepare(
      'SELECT article_id AS id FROM objects WHERE article_id = ? OR (? IS NULL AND slug = ?)',
    )
    .bind(row.id, row.id, row.slug)
    .first<{ id: string }>()
  let sent = 0
  if (object) {
    // Who was told is unknown for a row older than the handles column: every actor's followers.
    const handles = row.handles ?? actorFeeds(catalog).map(handleOf)
    const messages = await planRemoval(db, catalog, { id: object.id, slug: row.slug }, handles, {
      now,
    })
    await fed.send(messages)
    sent = messages.length
  }
  await db.prepare('DELETE FROM announced WHERE slug = ?').bind(row.slug).run()
  return sent
}

// Compares the bundle with what followers were told; returns the messages queued.
async function deliverChanges(
  store: ArticleStore,
  fed: FederationEnv,
  listed: readonly ListedArticle[],
  now: number,
): Promise<number> {
  const db = fed.db
  const told = await toldOf(db)
  const bySlug = new Map(told.map((row) => [row.slug, row]))
  const byId = new Map(told.flatMap((row) => (row.id ? [[row.id, row] as const] : [])))
  const catalog = await store.catalog(now)
  let queued = 0
  // Removals first, by id where the row knows it: an article gone whose slug a new one takes
  // is still gone (a Delete), and its row must go before the new one is written.
  const slugs = new Set(listed.map((item) => item.slug))
  const ids = new Set(listed.map((item) => item.id))
  for (const row of told)
    if (row.id !== null ? !ids.has(row.id) : !slugs.has(row.slug))
      queued += await deliverRemoval(fed, catalog, row, now)
  // Oldest first, so that followers get a deploy's stories in the order they were published.
  for (const item of [...listed].reverse()) {
    const found = await store.article(item.slug, now)
    if (!found) continue
    const row = rowOf(item, bySlug, byId)
    const same = row?.slug === item.slug && row.updated === item.updated
    if (row && same && (row.revision === null || row.revision === found.revision)) {
      // Unchanged; a row from before ids and revisions were kept gets them, unread.
      if (row.id === null || row.revision === null)
        await remember(db, { ...item, handles: null, revision: found.revision }).run()
      continue
    }
    const article = await found.read()
    const handles = handlesOf(catalog, article)
    const moved = row?.handles != null && !sameSet(row.handles, handles)
    if (!row || !same || moved) {
      const messages = row
        ? await planChange(db, catalog, article, 'Update', {
            now,
            // A row from before the handles column: who was told is not known.
            ...(row.handles ? { told: row.handles } : {}),
          })
        : await planChange(db, catalog, article, 'Create', { now })
      await fed.send(messages)
      queued += messages.length
    }
    // Followers of the feeds it left were told of the Update too: a Delete later reaches them.
    const reached = [...new Set([...(row?.handles ?? []), ...handles])]
    const write = [remember(db, { ...item, handles: reached, revision: found.revision })]
    if (row && row.slug !== item.slug)
      write.push(
        db
          .prepare('DELETE FROM announced WHERE slug = ? AND article_id = ?')
          .bind(row.slug, item.id),
      )
    await db.batch(write)
  }
  return queued
}

/**
 * What a deploy of the bundled store changed, delivered once per build by the Cron Trigger:
 * each visible article followers were not told of gets a Create; each whose `updated`, slug
 * or feeds changed (same id) an Update, to the followers of its feeds then and now; each told
 * of and now gone (removed, unpublished, scheduled again) a Delete, and its id answers 410.
 * The first run (no build compared yet) records the archive as told and sends nothing, so
 * turning federation on never floods followers with old stories. Returns the messages queued.
 * A crash before the build is recorded repeats the run; deliveries already made are not sent
 * again (delivery.ts).
 */
export async function deliverDeploy(
  store: ArticleStore,
  fed: FederationEnv,
  now: number,
  build = store.build(),
): Promise<number> {
  const db = fed.db
  const seen = await db
    .prepare("SELECT value FROM state WHERE key = 'build'")
    .first<{ value: string }>()
  if (seen?.value === build) return 0
  const { total } = await store.listing(0, 0, now)
  const { articles: listed } = await store.listing(0, total, now)
  const queued = seen ? await deliverChanges(store, fed, listed, now) : 0
  if (!seen) await recordAll(db, listed.map(unread))
  await db
    .prepare(
      "INSERT INTO state (key, value) VALUES ('build', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(build)
    .run()
  return queued
}
