/** The ActivityStreams public collection (ActivityPub §5.6): an addressee meaning everyone. */
export const PUBLIC = 'https://www.w3.org/ns/activitystreams#Public'

/** Media types of ActivityPub requests and answers (ActivityPub §3.2, §7). */
export const ACTIVITY_JSON = 'application/activity+json'

/** The JSON-LD contexts every document names: ActivityStreams and the security vocabulary. */
export const CONTEXT = ['https://www.w3.org/ns/activitystreams', 'https://w3id.org/security/v1']

/**
 * The contexts of objects and the activities that carry them: AS2, the security vocabulary,
 * and the two `as:` terms Mastodon reads that the AS2 context leaves out
 * (docs.joinmastodon.org/spec/activitypub/#as): `sensitive` and `Hashtag`.
 */
export const OBJECT_CONTEXT = [...CONTEXT, { sensitive: 'as:sensitive', Hashtag: 'as:Hashtag' }]

/** The stable id of a feed's actor at `origin`: its handle, never the feed's title. */
export function actorUrl(origin: string, handle: string): string {
  return `${origin}/ap/actors/${handle}`
}

/** The id of an actor's key: the fragment Mastodon expects (`#main-key`). */
export function keyUrl(origin: string, handle: string): string {
  return `${actorUrl(origin, handle)}#main-key`
}

/** The inbox every actor shares (Mastodon's `endpoints.sharedInbox`). */
export function sharedInboxUrl(origin: string): string {
  return `${origin}/ap/inbox`
}

/**
 * The stable id of an article's object: its immutable id (never the slug), base64url-encoded
 * so that any GUID a migration kept (`tag:…`, `https://old…/?p=1`) fits one path segment.
 */
export function objectUrl(origin: string, articleId: string): string {
  return `${origin}/ap/objects/${encodeObjectKey(articleId)}`
}

/** An article id as an object key (base64url, no padding). */
export function encodeObjectKey(articleId: string): string {
  const bytes = new TextEncoder().encode(articleId)
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** The article id an object key names, or undefined when `key` is not one. */
export function decodeObjectKey(key: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,1400}$/.test(key)) return undefined
  try {
    const binary = atob(key.replace(/-/g, '+').replace(/_/g, '/'))
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0))
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
  } catch {
    // Not base64, or not UTF-8: no article has this key.
    return undefined
  }
}

/** Whether an Accept header asks for ActivityPub JSON rather than a page (ActivityPub §3.2). */
export function wantsActivityJson(accept: string | undefined): boolean {
  if (!accept) return false
  const value = accept.toLowerCase()
  return (
    value.includes(ACTIVITY_JSON) ||
    (value.includes('application/ld+json') &&
      value.includes('https://www.w3.org/ns/activitystreams'))
  )
}
