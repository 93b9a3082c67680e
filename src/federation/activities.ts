import { actorUrl, CONTEXT, OBJECT_CONTEXT, objectUrl, PUBLIC } from './urls'

/** What changed about an article, as the fediverse is told: it appeared, was edited, or went. */
export type Change = 'Create' | 'Update' | 'Delete'

/** The Accept of a Follow (ActivityPub §7.2): sent at once, the Follow embedded as Mastodon wants. */
export function renderAccept(
  origin: string,
  handle: string,
  follow: Record<string, unknown>,
): Record<string, unknown> {
  const actor = actorUrl(origin, handle)
  const followId = typeof follow.id === 'string' ? follow.id : ''
  return {
    '@context': CONTEXT[0],
    id: `${actor}#accepts/${encodeURIComponent(followId)}`,
    type: 'Accept',
    actor,
    object: follow,
  }
}

/**
 * The activity that tells followers of the site actor about an article (ActivityPub §7.1):
 * its id names the change and the article's `updated`, so a redelivery is the same activity.
 */
export function renderChange(
  change: Change,
  object: Record<string, unknown>,
  origin: string,
  handle: string,
  at: string,
): Record<string, unknown> {
  const actor = actorUrl(origin, handle)
  const id = String(object.id)
  const body = change === 'Delete' ? { id, type: 'Tombstone' } : object
  return {
    '@context': OBJECT_CONTEXT,
    id: `${id}#${change.toLowerCase()}/${at}`,
    type: change,
    actor,
    published: at,
    to: [PUBLIC],
    cc: [`${actor}/followers`],
    object: body,
  }
}

/**
 * A boost of the article by another feed's actor (AS2 Vocabulary `Announce`): its followers see
 * it in their timeline; Mastodon shows a status once however many followed accounts boost it.
 */
export function renderAnnounce(
  origin: string,
  handle: string,
  articleId: string,
  at: string,
): Record<string, unknown> {
  const actor = actorUrl(origin, handle)
  const object = objectUrl(origin, articleId)
  return {
    '@context': CONTEXT[0],
    id: `${actor}/announces/${encodeURIComponent(object)}`,
    type: 'Announce',
    actor,
    published: at,
    to: [PUBLIC],
    cc: [`${actor}/followers`],
    object,
  }
}
