import type { Catalog } from '../model/feeds'
import type { FeedDefinition } from '../model/types'
import { feedFileUrl, feedPageUrl } from '../render/document'
import { feedOfHandle, handleOf, isHandle } from './handles'
import { ACTIVITY_JSON, actorUrl } from './urls'

/** What a WebFinger `resource` names: the feed and its handle, when it is one of ours. */
export interface Resolved {
  feed: FeedDefinition
  handle: string
}

function byActorUrl(catalog: Catalog, url: URL): Resolved | undefined {
  const match = /^\/ap\/actors\/([^/]+)$/.exec(url.pathname)
  const handle = match?.[1]
  if (!handle || !isHandle(handle)) return undefined
  const feed = feedOfHandle(catalog, handle)
  return feed && { feed, handle }
}

/**
 * The feed a WebFinger `resource` (RFC 7033 §4.1) names at `host`: `acct:handle@host`, the
 * actor's URL, or its page's URL; undefined for anything else (answered 404).
 */
export function resolveResource(
  catalog: Catalog,
  resource: string,
  origin: string,
  feeds: () => FeedDefinition[],
): Resolved | undefined {
  const host = new URL(origin).host
  const acct = /^acct:([^@]+)@(.+)$/i.exec(resource)
  if (acct) {
    const [, handle = '', at = ''] = acct
    if (at.toLowerCase() !== host.toLowerCase() || !isHandle(handle.toLowerCase())) return undefined
    const feed = feedOfHandle(catalog, handle)
    return feed && { feed, handle: handleOf(feed) }
  }
  let url: URL
  try {
    url = new URL(resource)
  } catch {
    // Neither acct: nor a URL: nothing of ours.
    return undefined
  }
  if (url.host !== host) return undefined
  const actor = byActorUrl(catalog, url)
  if (actor) return actor
  // A feed's page URL (what a follower pastes) names its actor too.
  const page = feeds().find((feed) => feedPageUrl(origin, feed) === url.origin + url.pathname)
  return page && { feed: page, handle: handleOf(page) }
}

/** The JRD (RFC 7033 §4.4) of an actor: its acct, its id, its page, as Mastodon reads them. */
export function renderJrd(resolved: Resolved, origin: string): Record<string, unknown> {
  const id = actorUrl(origin, resolved.handle)
  return {
    subject: `acct:${resolved.handle}@${new URL(origin).host}`,
    aliases: [id, feedPageUrl(origin, resolved.feed)],
    links: [
      { rel: 'self', type: ACTIVITY_JSON, href: id },
      {
        rel: 'http://webfinger.net/rel/profile-page',
        type: 'text/html',
        href: feedPageUrl(origin, resolved.feed),
      },
    ],
  }
}

/**
 * `/fediverse.json`: every actor's handle, as `/feeds.opml` lists every feed: what it is, its
 * page, its actor and its Atom feed, the site first.
 */
export function renderHandleList(feeds: readonly FeedDefinition[], origin: string) {
  const host = new URL(origin).host
  return {
    actors: feeds.map((feed) => ({
      handle: `@${handleOf(feed)}@${host}`,
      kind: feed.kind,
      title: feed.title,
      page: feedPageUrl(origin, feed),
      actor: actorUrl(origin, handleOf(feed)),
      feed: feedFileUrl(origin, feed, 'atom.xml'),
    })),
  }
}
