import type { Change } from '../federation/activities'
import { deliverDeploy, recordAnnounced } from '../federation/deploys'
import { federationOf } from '../federation/env'
import { handlesOf, planChange } from '../federation/plan'
import type { Catalog } from '../model/feeds'
import type { Article } from '../model/types'
import type { ArticleStore } from '../store/types'
import { CRON_PERIOD } from './announce'
import { type AppContext, type Bindings, waitUntilOf } from './context'

function visibleAt(article: Article | undefined, now: number): article is Article {
  return article !== undefined && Date.parse(article.published) <= now
}

/** What a write tells followers: a Create when it appears, an Update when edited, a Delete when it goes. */
export function changeOf(
  before: Article | undefined,
  after: Article | undefined,
  now: number,
): Change | undefined {
  const was = visibleAt(before, now)
  const is = visibleAt(after, now)
  if (!was && is) return 'Create'
  if (was && is)
    return before.updated === after.updated && before.slug === after.slug ? undefined : 'Update'
  if (was && !is) return 'Delete'
  return undefined
}

/** Queues the deliveries of one article's change to every follower of the feeds it is in. */
export async function federateWrite(
  env: Bindings,
  catalog: Catalog,
  before: Article | undefined,
  after: Article | undefined,
  now: number,
): Promise<void> {
  const fed = federationOf(env)
  const change = changeOf(before, after, now)
  const article = after ?? before
  if (!fed || !change || !article) return
  // An edit can move the article between feeds: the followers of those it was in were told.
  const told = change === 'Update' && before ? { told: handlesOf(catalog, before) } : {}
  await fed.send(
    await planChange(fed.db, catalog, change === 'Delete' ? (before as Article) : article, change, {
      now,
      ...told,
    }),
  )
}

/**
 * The Cron Trigger's part: a Create for each scheduled article whose minute came in this
 * period; with `deploys` (the bundled store), also what a new build added or edited.
 */
export function federateAppearances(
  storeFor: (env: Bindings) => ArticleStore,
  options: { deploys?: boolean } = {},
) {
  return async (
    controller: Pick<ScheduledController, 'scheduledTime'>,
    env: Bindings,
    claimed?: Promise<Article[]>,
  ): Promise<void> => {
    const fed = federationOf(env ?? {})
    if (!fed) return
    const store = storeFor(env ?? {})
    const until = controller.scheduledTime
    const appeared = await (claimed ?? store.appeared(until - CRON_PERIOD, until))
    if (appeared.length > 0) {
      const catalog = await store.catalog(until)
      for (const article of appeared)
        await fed.send(await planChange(fed.db, catalog, article, 'Create', { now: until }))
      if (options.deploys) await recordAnnounced(fed.db, appeared, catalog)
    }
    if (!options.deploys) return
    await deliverDeploy(store, fed, until)
  }
}

/** After a write through the API: its deliveries queued past the response; a failure is logged, never the publish's. */
export function federateInBackground(
  c: AppContext,
  store: ArticleStore,
  before: Article | undefined,
  after: Article | undefined,
): void {
  const now = c.get('now')
  const work = store
    .catalog(now)
    .then((catalog) => federateWrite(c.env ?? {}, catalog, before, after, now))
    .catch((error: unknown) => console.error(`federation: ${(error as Error).message}`))
  waitUntilOf(c)(work)
}
