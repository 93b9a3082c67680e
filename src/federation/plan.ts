import { type Catalog, matchesFilter } from '../model/feeds'
import type { Article } from '../model/types'
import type { SqlDatabase } from '../store/d1'
import { type Change, renderAnnounce, renderChange } from './activities'
import type { DeliveryMessage } from './delivery'
import { type Follow, followsOf, isBlocked, pruneBlocked } from './followers'
import { actorFeeds, handleOf, SITE_HANDLE } from './handles'
import { renderObject } from './object'
import { objectUrl } from './urls'

/** One inbox's share of a change: the origin its followers know us by, and who follows what. */
interface Inbox {
  inbox: string
  origin: string
  /** Each person there that follows one of the article's feeds, and which of them. */
  people: Map<string, Set<string>>
}

function inboxesOf(follows: readonly Follow[]): Inbox[] {
  const inboxes = new Map<string, Inbox>()
  for (const follow of follows) {
    const key = `${follow.origin} ${follow.inbox}`
    let inbox = inboxes.get(key)
    if (!inbox) {
      inbox = { inbox: follow.inbox, origin: follow.origin, people: new Map() }
      inboxes.set(key, inbox)
    }
    const handles = inbox.people.get(follow.actor) ?? new Set<string>()
    handles.add(follow.handle)
    inbox.people.set(follow.actor, handles)
  }
  return [...inboxes.values()].sort((a, b) => (a.inbox < b.inbox ? -1 : a.inbox > b.inbox ? 1 : 0))
}

/**
 * The actors that announce a new article to one inbox: the fewest whose followers there are
 * everyone there who follows one of its feeds. The site actor first when any follows it (it
 * sends the Create), then the feed followed by most of those left (an Announce), and so on:
 * a person who follows five of its feeds is sent it once.
 */
export function coverOf(
  people: ReadonlyMap<string, ReadonlySet<string>>,
  order: readonly string[],
) {
  const left = new Set(people.keys())
  const chosen: string[] = []
  while (left.size > 0) {
    let best = ''
    let most = 0
    for (const handle of order) {
      let count = 0
      for (const person of left) if (people.get(person)?.has(handle)) count += 1
      if (count > most) {
        best = handle
        most = count
      }
    }
    if (most === 0) break
    chosen.push(best)
    for (const person of [...left]) if (people.get(person)?.has(best)) left.delete(person)
  }
  return chosen
}

function message(activity: Record<string, unknown>, handle: string, target: Inbox) {
  return {
    activityId: String(activity.id),
    handle,
    origin: target.origin,
    inbox: target.inbox,
    body: JSON.stringify(activity),
  }
}

/** The handles of the actors whose feeds hold `article`: the site's and each feed it matches. */
export function handlesOf(catalog: Catalog, article: Article): string[] {
  return actorFeeds(catalog)
    .filter((feed) => matchesFilter(article, feed.filter))
    .map(handleOf)
}

// Records what the object id answers from now: the article (its slug), or 410 once deleted.
async function markObject(db: SqlDatabase, id: string, slug: string, deletedAt: number | null) {
  await db
    .prepare(
      `INSERT INTO objects (article_id, slug, deleted_at) VALUES (?, ?, ?)
       ON CONFLICT (article_id) DO UPDATE SET slug = excluded.slug, deleted_at = excluded.deleted_at`,
    )
    .bind(id, slug, deletedAt)
    .run()
}

// Every inbox of the followers of `handles`, once each; servers site.yaml blocks lose their
// follows and get nothing.
async function audienceOf(db: SqlDatabase, catalog: Catalog, handles: readonly string[]) {
  const blocked = catalog.site.federation?.blocked ?? []
  if (blocked.length > 0) await pruneBlocked(db, blocked)
  const follows = (await followsOf(db, handles)).filter((f) => !isBlocked(f.server, blocked))
  return inboxesOf(follows)
}

/**
 * The Delete of an article no longer there to read (a deploy removed it): the site actor's, to
 * every inbox of the followers of `handles` (the actors that told of it); its object id
 * answers 410 with a Tombstone from now on.
 */
export async function planRemoval(
  db: SqlDatabase,
  catalog: Catalog,
  article: { id: string; slug: string },
  handles: readonly string[],
  options: { now: number },
): Promise<DeliveryMessage[]> {
  await markObject(db, article.id, article.slug, options.now)
  const at = new Date(options.now).toISOString()
  return (await audienceOf(db, catalog, handles)).map((target) => {
    const object = { id: objectUrl(target.origin, article.id) }
    return message(
      renderChange('Delete', object, target.origin, SITE_HANDLE, at),
      SITE_HANDLE,
      target,
    )
  })
}

// People at `target` who follow only feeds the article moved into were never shown it, and an
// Update reaches only a server that has the post (Mastodon drops one for a status it does not
// know): those feeds announce it to them, the fewest that reach them all (coverOf).
function announceToUntold(
  target: Inbox,
  order: readonly string[],
  told: readonly string[],
  article: Article,
  at: string,
): DeliveryMessage[] {
  const before = new Set(told)
  const untold = new Map(
    [...target.people].filter(([, handles]) => ![...handles].some((h) => before.has(h))),
  )
  return coverOf(
    untold,
    order.filter((handle) => !before.has(handle)),
  ).map((handle) => message(renderAnnounce(target.origin, handle, article.id, at), handle, target))
}

/**
 * The deliveries that tell followers about one article's change. A Create: to each inbox,
 * the site actor's Create when someone there follows the site, and an Announce from each
 * further feed needed so that everyone there who follows one of the article's feeds gets it
 * (coverOf): one activity per inbox for a person who follows five of them. An Update or a
 * Delete: the site actor's, once to every inbox that was told of the article (the followers
 * of its feeds, and of `told`, the feeds it was in when they were last told); with an Update,
 * the feeds it moved into announce it to their followers who follow none of `told` (when
 * `told` is known). Servers that site.yaml blocks lose their follows and get nothing.
 */
export async function planChange(
  db: SqlDatabase,
  catalog: Catalog,
  article: Article,
  change: Change,
  options: { now: number; told?: readonly string[] },
): Promise<DeliveryMessage[]> {
  const handles = handlesOf(catalog, article)
  // The site first: its Create carries the object; the others only point at it.
  const order = [SITE_HANDLE, ...handles.filter((h) => h !== SITE_HANDLE)]
  const at = change === 'Create' ? article.published : new Date(options.now).toISOString()
  await markObject(db, article.id, article.slug, change === 'Delete' ? options.now : null)
  const audience =
    change === 'Create' ? handles : [...new Set([...handles, ...(options.told ?? [])])]
  const type = catalog.site.federation?.objectType ?? 'Note'
  const objects = new Map<string, Record<string, unknown>>()
  const messages: DeliveryMessage[] = []
  for (const target of await audienceOf(db, catalog, audience)) {
    const origin = target.origin
    // Mastodon applies an Update only when the object's `updated` is later than the edit it
    // has (ProcessStatusUpdateService): a change of slug or feeds alone keeps the article's
    // `updated`, so the Update says when the change was made, if that is later.
    const edited =
      change === 'Update' && at > article.updated ? { ...article, updated: at } : article
    const object =
      objects.get(origin) ?? renderObject(edited, { origin, handle: SITE_HANDLE, type })
    objects.set(origin, object)
    if (change !== 'Create') {
      messages.push(
        message(renderChange(change, object, origin, SITE_HANDLE, at), SITE_HANDLE, target),
      )
      if (change === 'Update' && options.told)
        messages.push(...announceToUntold(target, order, options.told, article, at))
      continue
    }
    for (const handle of coverOf(target.people, order)) {
      const activity =
        handle === SITE_HANDLE
          ? renderChange('Create', object, origin, handle, at)
          : renderAnnounce(origin, handle, article.id, at)
      messages.push(message(activity, handle, target))
    }
  }
  return messages
}
