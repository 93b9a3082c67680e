import { type PingPolicy, pingHub } from '../http/websub'
import { type Catalog, listFeeds, matchesFilter } from '../model/feeds'
import type { Article } from '../model/types'
import { feedFileUrl } from '../render/document'
import { formatsOf } from '../render/formats'
import type { ArticleStore } from '../store/types'
import type { Bindings } from './context'

/** Feed URLs (every format, at the public origin) whose content these articles change. */
export function feedTopics(catalog: Catalog, articles: readonly (Article | undefined)[]): string[] {
  const feeds = listFeeds(catalog).filter((feed) =>
    articles.some((a) => a && matchesFilter(a, feed.filter)),
  )
  return feeds.flatMap((feed) =>
    formatsOf(feed).map((format) => feedFileUrl(catalog.site.url, feed, format.file)),
  )
}

/** How often the Cron Trigger runs (wrangler.toml `[triggers] crons`): every minute. */
export const CRON_PERIOD = 60_000

/**
 * The Cron Trigger's handler: tells the WebSub hub about the feeds of every scheduled article
 * whose minute came since the last run, once each. The D1 store claims them from its table of
 * pending appearances; the bundled store, which has no memory between runs, takes those whose
 * minute lies in the period that ends at this run's scheduled time.
 */
export function announceAppearances(
  storeFor: (env: Bindings) => ArticleStore,
  policy: Partial<PingPolicy> = {},
) {
  return async (
    controller: Pick<ScheduledController, 'scheduledTime'>,
    env: Bindings,
    ctx: Pick<ExecutionContext, 'waitUntil'>,
    claimed?: Promise<Article[]>,
  ): Promise<void> => {
    const store = storeFor(env ?? {})
    const until = controller.scheduledTime
    // The D1 store's claim is taken once a run: whoever else reacts to it is handed the same.
    const appeared = await (claimed ?? store.appeared(until - CRON_PERIOD, until))
    if (appeared.length === 0) return
    const catalog = await store.catalog(until)
    const hub = catalog.site.hub
    if (!hub) return
    ctx.waitUntil(pingHub(hub, feedTopics(catalog, appeared), policy))
  }
}
