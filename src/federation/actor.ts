import type { Article, FeedDefinition, Site } from '../model/types'
import { feedFileUrl, feedPageUrl } from '../render/document'
import { escapeText } from '../render/escape'
import { ACTIVITY_JSON, actorUrl, CONTEXT, keyUrl, sharedInboxUrl } from './urls'

/** What an actor document is made of, besides the feed: known before rendering. */
export interface ActorInput {
  origin: string
  site: Site
  feed: FeedDefinition
  handle: string
  publicKeyPem: string
  /** The feed's newest article: its lead image is the actor's header. */
  newest?: Article
}

// Mastodon's extensions the actor uses, named so JSON-LD processors read them
// (docs.joinmastodon.org/spec/activitypub/#extensions).
const EXTENSIONS = {
  manuallyApprovesFollowers: 'as:manuallyApprovesFollowers',
  toot: 'http://joinmastodon.org/ns#',
  discoverable: 'toot:discoverable',
  indexable: 'toot:indexable',
  schema: 'http://schema.org#',
  PropertyValue: 'schema:PropertyValue',
  value: 'schema:value',
}

function imageOf(url: string | undefined, origin: string, alt?: string) {
  if (!url) return undefined
  return { type: 'Image', url: new URL(url, origin).href, ...(alt ? { name: alt } : {}) }
}

/**
 * A feed as an ActivityPub actor (ActivityPub §4.1): a `Service`, which Mastodon shows as an
 * automated account, with everything its profile displays (name, bio, avatar, header, link).
 */
export function renderActor(input: ActorInput): Record<string, unknown> {
  const { origin, site, feed, handle, newest } = input
  const id = actorUrl(origin, handle)
  const page = feedPageUrl(origin, feed)
  const icon = imageOf(site.icon ?? site.logo, origin)
  const header = imageOf(newest?.image?.url, origin, newest?.image?.alt)
  const atom = feedFileUrl(origin, feed, 'atom.xml')
  return {
    '@context': [...CONTEXT, EXTENSIONS],
    id,
    type: 'Service',
    preferredUsername: handle,
    name: feed.kind === 'site' ? site.title : feed.title,
    // Mastodon shows `summary` as HTML: the description is plain text, so it is escaped.
    summary: `<p>${escapeText(feed.description)}</p>`,
    url: page,
    ...(icon ? { icon } : {}),
    ...(header ? { image: header } : {}),
    inbox: `${id}/inbox`,
    outbox: `${id}/outbox`,
    followers: `${id}/followers`,
    following: `${id}/following`,
    endpoints: { sharedInbox: sharedInboxUrl(origin) },
    publicKey: { id: keyUrl(origin, handle), owner: id, publicKeyPem: input.publicKeyPem },
    manuallyApprovesFollowers: false,
    discoverable: true,
    indexable: true,
    attachment: [
      {
        type: 'PropertyValue',
        name: 'Feed',
        value: `<a href="${escapeText(atom)}" rel="alternate">${escapeText(atom)}</a>`,
      },
    ],
  }
}

/** The media type actors, objects and collections are answered with. */
export const ACTOR_CONTENT_TYPE = `${ACTIVITY_JSON}; charset=utf-8`
