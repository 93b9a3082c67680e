import type { Catalog } from '../model/feeds'
import type { SqlDatabase } from '../store/d1'
import { renderAccept } from './activities'
import { checkOutgoingUrl } from './address'
import type { DeliveryMessage } from './delivery'
import { addFollower, removeFollower } from './followers'
import { feedOfHandle, handleOf, isHandle, SITE_HANDLE } from './handles'
import { keysOf } from './keys'
import { fetchDocument, type SignGet } from './remote'
import { rememberScheme } from './schemes'
import { signRequest } from './signature'
import { actorUrl, keyUrl } from './urls'
import type { RemoteKey, Scheme } from './verify'

/** What an inbox answers: the status and a short reason. */
export interface Answer {
  status: number
  message: string
}

const ACCEPTED: Answer = { status: 202, message: 'accepted' }

/** What handling an activity needs: where it came to, the stores, how to send an answer. */
export interface InboxContext {
  db: SqlDatabase
  catalog: Catalog
  origin: string
  now: number
  development: boolean
  /** The handle of the actor's own inbox; undefined for the shared inbox. */
  handle?: string
  /** The scheme the activity's signature was verified with: deliveries answer in kind. */
  scheme?: Scheme
  send(messages: DeliveryMessage[]): Promise<void>
}

/** Remote documents (actors, keys) kept by this isolate: at most this many. */
const REMOTE_CACHE = 1000
const remote = new Map<string, Promise<Record<string, unknown>>>()

/**
 * Signs GETs as the site actor, as Mastodon signs its own (draft-cavage over `(request-target)
 * host date`): servers in authorized-fetch ("secure") mode answer 401 to unsigned ones.
 */
export function signAsSite(db: SqlDatabase, origin: string, now: number): SignGet {
  return async (url) => {
    const keys = await keysOf(db, SITE_HANDLE, now)
    return signRequest('GET', url, undefined, keyUrl(origin, SITE_HANDLE), keys.privateKey, now)
  }
}

/**
 * A remote actor or key document, fetched (a GET signed by `sign`) once per isolate within the
 * limits of remote.ts.
 */
export function remoteDocument(
  url: string,
  development: boolean,
  sign: SignGet,
): Promise<Record<string, unknown>> {
  const bare = url.split('#')[0] as string
  let document = remote.get(bare)
  if (!document) {
    if (remote.size >= REMOTE_CACHE) remote.delete(remote.keys().next().value as string)
    document = fetchDocument(bare, { development, sign })
    document.catch(() => remote.delete(bare))
    remote.set(bare, document)
  }
  return document
}

// The key entries a document holds: its `publicKey` (one or a list), or the document itself.
function keysIn(document: Record<string, unknown>): Record<string, unknown>[] {
  const key = (document.publicKey ?? document) as unknown
  return (Array.isArray(key) ? key : [key]).filter(
    (entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null,
  )
}

/**
 * The key `keyId` names and its owner, from the document at its URL (an actor, or the key),
 * if the owner's own document, fetched from the owner's URL, lists that key: anyone can
 * publish a key that names someone else as its owner, and only the owner can list it. When the
 * key sits in its owner's document (`…/users/alice#main-key`) that is the same document.
 */
export async function remoteKey(
  keyId: string,
  development: boolean,
  sign: SignGet,
): Promise<RemoteKey | undefined> {
  const document = await remoteDocument(keyId, development, sign)
  const found = keysIn(document).find(
    (candidate) =>
      candidate.id === keyId &&
      typeof candidate.publicKeyPem === 'string' &&
      typeof candidate.owner === 'string',
  )
  if (!found) return undefined
  const key = { publicKeyPem: found.publicKeyPem as string, owner: found.owner as string }
  const owner = await remoteDocument(key.owner, development, sign)
  if (owner.id !== key.owner) return undefined
  const listed = keysIn(owner).some(
    (candidate) => candidate.id === keyId && candidate.publicKeyPem === key.publicKeyPem,
  )
  return listed ? key : undefined
}

// The handle an activity's object names: one of our actors' ids.
function handleNamed(context: InboxContext, object: unknown): string | undefined {
  const id = typeof object === 'string' ? object : (object as { id?: unknown } | null)?.id
  if (typeof id !== 'string') return undefined
  const prefix = actorUrl(context.origin, '')
  if (!id.startsWith(prefix)) return undefined
  const handle = id.slice(prefix.length)
  if (!isHandle(handle)) return undefined
  const feed = feedOfHandle(context.catalog, handle)
  return feed && handleOf(feed)
}

// Why an inbox a remote actor names may not be delivered to (checkOutgoingUrl), if it may not.
function checkInbox(url: string, development: boolean): string | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    // An inbox that is no URL can never be delivered to.
    return `inbox ${url.slice(0, 100)} is not a URL`
  }
  const refusal = checkOutgoingUrl(parsed, development)
  return refusal && `inbox refused: ${refusal}`
}

async function follow(
  context: InboxContext,
  activity: Record<string, unknown>,
  actor: string,
): Promise<Answer> {
  const handle = handleNamed(context, activity.object)
  if (!handle || (context.handle && context.handle !== handle))
    return { status: 404, message: 'the Follow names no actor of this inbox' }
  if (typeof activity.id !== 'string') return { status: 400, message: 'the Follow has no id' }
  const sign = signAsSite(context.db, context.origin, context.now)
  const document = await remoteDocument(actor, context.development, sign)
  const inbox = document.inbox
  const endpoints = document.endpoints as { sharedInbox?: unknown } | undefined
  if (typeof inbox !== 'string') return { status: 400, message: `actor ${actor} has no inbox` }
  const sharedInbox = typeof endpoints?.sharedInbox === 'string' ? endpoints.sharedInbox : undefined
  // Refused before anything is stored: such a follower would make every delivery a request
  // into a private network.
  for (const url of sharedInbox ? [inbox, sharedInbox] : [inbox]) {
    const refusal = checkInbox(url, context.development)
    if (refusal) return { status: 400, message: refusal }
  }
  await addFollower(
    context.db,
    handle,
    {
      origin: context.origin,
      actor,
      inbox,
      ...(sharedInbox ? { sharedInbox } : {}),
      followId: activity.id,
    },
    context.now,
  )
  const accept = renderAccept(context.origin, handle, activity)
  await context.send([
    {
      activityId: String(accept.id),
      handle,
      origin: context.origin,
      inbox,
      body: JSON.stringify(accept),
    },
  ])
  return ACCEPTED
}

async function undo(
  context: InboxContext,
  activity: Record<string, unknown>,
  actor: string,
): Promise<Answer> {
  const object = activity.object as Record<string, unknown> | string | undefined
  if (typeof object === 'string') {
    // Undo naming the Follow by id alone: the follow with that id goes, whichever actor it was.
    await context.db
      .prepare('DELETE FROM followers WHERE actor = ? AND follow_id = ?')
      .bind(actor, object)
      .run()
    return ACCEPTED
  }
  if (object?.type !== 'Follow') return ACCEPTED
  const handle = handleNamed(context, object.object)
  if (handle) await removeFollower(context.db, handle, actor)
  return ACCEPTED
}

/**
 * Acts on an activity whose signature was verified as `actor`'s: a Follow is stored and
 * answered with an Accept (queued at once); an Undo of a Follow removes it; a Delete of the
 * actor removes all its follows. Anything else is accepted and ignored. The signature's scheme
 * is remembered for the actor's server. Returns the status and why.
 */
export async function receiveActivity(
  context: InboxContext,
  activity: Record<string, unknown>,
  actor: string,
): Promise<Answer> {
  if (context.scheme)
    await rememberScheme(context.db, new URL(actor).host, context.scheme, context.now)
  switch (activity.type) {
    case 'Follow':
      return follow(context, activity, actor)
    case 'Undo':
      return undo(context, activity, actor)
    case 'Delete':
      if (activity.object === actor)
        await context.db.prepare('DELETE FROM followers WHERE actor = ?').bind(actor).run()
      return ACCEPTED
    default:
      return ACCEPTED
  }
}
