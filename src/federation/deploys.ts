import type { Article } from '../model/types'
import type { SqlDatabase } from '../store/d1'
import type { ArticleStore, ListedArticle } from '../store/types'
import type { Change } from './activities'
import type { FederationEnv } from './env'
import { planChange } from './plan'

/** Rows written in one D1 batch when a first run records an archive. */
const BATCH = 100

function remember(db: SqlDatabase, listed: readonly ListedArticle[]) {
  return listed.map((a) =>
    db
      .prepare(
        `INSERT INTO announced (slug, updated) VALUES (?, ?)
         ON CONFLICT (slug) DO UPDATE SET updated = excluded.updated`,
      )
      .bind(a.slug, a.updated),
  )
}

async function recordAll(db: SqlDatabase, listed: readonly ListedArticle[]): Promise<void> {
  const statements = remember(db, listed)
  for (let i = 0; i < statements.length; i += BATCH) await db.batch(statements.slice(i, i + BATCH))
}

/** Records that followers were told of `articles` (scheduled ones, as they appear). */
export async function recordAnnounced(db: SqlDatabase, articles: readonly Article[]) {
  if (articles.length > 0) await recordAll(db, articles)
}

/**
 * What a deploy of the bundled store adds, delivered once per build by the Cron Trigger: each
 * visible article followers were not told of gets a Create, each whose `updated` moved an
 * Update. The first run (no build compared yet) records the archive as told and sends
 * nothing, so turning federation on never floods followers with old stories. Returns the
 * messages queued. A crash before the build is recorded repeats the run; deliveries already
 * made are not sent again (delivery.ts).
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
  let queued = 0
  if (seen) {
    const { results } = await db
      .prepare('SELECT slug, updated FROM announced')
      .all<{ slug: string; updated: string }>()
    const told = new Map(results.map((row) => [row.slug, row.updated]))
    const catalog = await store.catalog(now)
    // Oldest first, so that followers get a deploy's stories in the order they were published.
    for (const item of [...listed].reverse()) {
      const was = told.get(item.slug)
      const change: Change | undefined =
        was === undefined ? 'Create' : was !== item.updated ? 'Update' : undefined
      if (!change) continue
      const found = await store.article(item.slug, now)
      if (!found) continue
      const messages = await planChange(db, catalog, await found.read(), change, { now })
      await fed.send(messages)
      await db.batch(remember(db, [item]))
      queued += messages.length
    }
  } else await recordAll(db, listed)
  await db
    .prepare(
      "INSERT INTO state (key, value) VALUES ('build', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(build)
    .run()
  return queued
}
