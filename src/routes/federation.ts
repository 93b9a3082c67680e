import type { Context, Hono } from 'hono'
import { renderAnnounce, renderChange } from '../federation/activities'
import { ACTOR_CONTENT_TYPE, renderActor } from '../federation/actor'
import { COLLECTION_PAGE, renderCollection, renderCollectionPage } from '../federation/collections'
import { type FederationEnv, federationOf } from '../federation/env'
import { countFollowers, isBlocked, listFollowers } from '../federation/followers'
import { actorFeeds, feedOfHandle, handleOf, isHandle, SITE_HANDLE } from '../federation/handles'
import { receiveActivity, remoteKey, signAsSite } from '../federation/inbox'
import { keysOf } from '../federation/keys'
import { renderNodeInfo, renderNodeInfoLinks } from '../federation/nodeinfo'
import { type ObjectType, renderObject, renderTombstone } from '../federation/object'
import { readBounded } from '../federation/remote'
import { actorUrl, decodeObjectKey, OBJECT_CONTEXT, wantsActivityJson } from '../federation/urls'
import { verifyInboxRequest } from '../federation/verify'
import { renderHandleList, renderJrd, resolveResource } from '../federation/webfinger'
import type { FeedDefinition } from '../model/types'
import type { AppContext, AppEnv } from './context'
import { requestOrigin } from './context'

/** The largest activity an inbox reads (Mastodon's own limit is 1 MiB; a Follow is < 1 KiB). */
export const MAX_INBOX_BYTES = 64 * 1024

/** Everything federated answers is fresh for a minute and varies with Accept. */
const JSON_HEADERS = { 'cache-control': 'public, max-age=60', vary: 'Accept' }

function json(body: unknown, status = 200, type = ACTOR_CONTENT_TYPE): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': type, ...JSON_HEADERS },
  })
}

function plain(status: number, message: string): Response {
  return new Response(`${message}\n`, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  })
}

function pageOf(c: Context<AppEnv>): number | undefined | 'bad' {
  const value = c.req.query('page')
  if (value === undefined) return undefined
  return /^[1-9]\d{0,5}$/.test(value) ? Number(value) : 'bad'
}

// The object type site.yaml chose (`federation.object_type`), Note by default.
async function typeOf(c: AppContext): Promise<ObjectType> {
  return (await c.get('store').catalog(c.get('now'))).site.federation?.objectType ?? 'Note'
}

async function actorFor(
  c: AppContext,
  fed: FederationEnv,
  feed: FeedDefinition,
): Promise<Response> {
  const store = c.get('store')
  const now = c.get('now')
  const catalog = await store.catalog(now)
  const handle = handleOf(feed)
  const keys = await keysOf(fed.db, handle, now)
  const newest = (await store.page(feed, 0, 1, now)).articles[0]
  return json(
    renderActor({
      origin: requestOrigin(c),
      site: catalog.site,
      feed,
      handle,
      publicKeyPem: keys.publicKeyPem,
      ...(newest ? { newest } : {}),
    }),
  )
}

/** An actor as a route finds it: its feed, and its handle as we spell it. */
interface Found {
  feed: FeedDefinition
  handle: string
}

async function feedOf(c: AppContext): Promise<Found | undefined> {
  const handle = c.req.param('handle') ?? ''
  if (!isHandle(handle)) return undefined
  const feed = feedOfHandle(await c.get('store').catalog(c.get('now')), handle)
  return feed && { feed, handle: handleOf(feed) }
}

async function outbox(c: AppContext, feed: FeedDefinition, handle: string): Promise<Response> {
  const page = pageOf(c)
  if (page === 'bad')
    return plain(400, `page must be a positive integer, got ${c.req.query('page')}`)
  const origin = requestOrigin(c)
  const id = `${actorUrl(origin, handle)}/outbox`
  const store = c.get('store')
  const now = c.get('now')
  const first = await store.page(feed, 0, page === undefined ? 0 : COLLECTION_PAGE, now)
  if (page === undefined) return json(renderCollection(id, first.total))
  const slice = await store.page(feed, (page - 1) * COLLECTION_PAGE, COLLECTION_PAGE, now)
  const type = await typeOf(c)
  // What the actor sent its followers (plan.ts): the site actor Creates each story (it is
  // their author, attributedTo), every other actor Announces it.
  const items = slice.articles.map((article) =>
    handle === SITE_HANDLE
      ? renderChange(
          'Create',
          renderObject(article, { origin, handle: SITE_HANDLE, type }),
          origin,
          handle,
          article.published,
        )
      : renderAnnounce(origin, handle, article.id, article.published),
  )
  return json(renderCollectionPage(id, page, slice.total, items))
}

async function followers(c: AppContext, fed: FederationEnv, handle: string): Promise<Response> {
  const page = pageOf(c)
  if (page === 'bad')
    return plain(400, `page must be a positive integer, got ${c.req.query('page')}`)
  const id = `${actorUrl(requestOrigin(c), handle)}/followers`
  const total = await countFollowers(fed.db, handle)
  if (page === undefined) return json(renderCollection(id, total))
  const items = await listFollowers(fed.db, handle, (page - 1) * COLLECTION_PAGE, COLLECTION_PAGE)
  return json(renderCollectionPage(id, page, total, items))
}

async function inbox(c: AppContext, fed: FederationEnv, handle?: string): Promise<Response> {
  const length = Number(c.req.header('content-length') ?? '0')
  if (length > MAX_INBOX_BYTES) return plain(413, `an activity is at most ${MAX_INBOX_BYTES} bytes`)
  const body = await readBounded(c.req.raw.body, MAX_INBOX_BYTES)
  if (!body) return plain(413, `an activity is at most ${MAX_INBOX_BYTES} bytes`)
  const now = c.get('now')
  const catalog = await c.get('store').catalog(now)
  const blocked = catalog.site.federation?.blocked ?? []
  const sign = signAsSite(fed.db, requestOrigin(c), now)
  const verified = await verifyInboxRequest(
    c.req.raw,
    body,
    now,
    (keyId) => remoteKey(keyId, fed.development, sign),
    (actor) => isBlocked(actor.host, blocked),
  )
  if ('status' in verified) return plain(verified.status, verified.message)
  const answer = await receiveActivity(
    {
      db: fed.db,
      catalog,
      origin: requestOrigin(c),
      now,
      development: fed.development,
      send: fed.send,
      scheme: verified.scheme,
      ...(handle ? { handle } : {}),
    },
    verified.activity,
    verified.actor,
  )
  return plain(answer.status, answer.message)
}

async function object(c: AppContext, fed: FederationEnv, articleId: string): Promise<Response> {
  const origin = requestOrigin(c)
  const row = await fed.db
    .prepare('SELECT slug, deleted_at FROM objects WHERE article_id = ?')
    .bind(articleId)
    .first<{ slug: string; deleted_at: number | null }>()
  if (!row) return plain(404, 'no such object')
  if (row.deleted_at !== null) return json(renderTombstone(origin, articleId), 410)
  const found = await c.get('store').article(row.slug, c.get('now'))
  const article = found && (await found.read())
  if (!article || article.id !== articleId) return plain(404, 'no such object')
  return json({
    '@context': OBJECT_CONTEXT,
    ...renderObject(article, { origin, handle: SITE_HANDLE, type: await typeOf(c) }),
  })
}

// A feed's page, or an article's, asked for as ActivityPub JSON: the actor, or the object.
async function negotiate(c: AppContext, fed: FederationEnv): Promise<Response | undefined> {
  const path = decodeURIComponent(new URL(c.req.url).pathname)
  const store = c.get('store')
  const now = c.get('now')
  const article = /^\/articles\/([^/]+)\/$/.exec(path)
  if (article?.[1]) {
    const found = await store.article(article[1], now)
    if (!found) return undefined
    return json({
      '@context': OBJECT_CONTEXT,
      ...renderObject(await found.read(), {
        origin: requestOrigin(c),
        handle: SITE_HANDLE,
        type: await typeOf(c),
      }),
    })
  }
  const feedPath = path.replace(/^\/|\/$/g, '')
  if (path !== '/' && !path.endsWith('/')) return undefined
  const feed = actorFeeds(await store.catalog(now)).find((f) => f.path === feedPath)
  return feed && actorFor(c, fed, feed)
}

/**
 * ActivityPub, WebFinger and NodeInfo, on when the Worker has its FEDERATION database and
 * queue: actors, inboxes, outboxes, followers, objects; and a feed's page (or an article's)
 * answers ActivityPub JSON to who asks for it, HTML to everyone else (`Vary: Accept`).
 */
export function addFederationRoutes(app: Hono<AppEnv>): void {
  app.use(async (c, next) => {
    const fed = federationOf(c.env ?? {})
    if (!fed) return next()
    const method = c.req.method
    if ((method === 'GET' || method === 'HEAD') && wantsActivityJson(c.req.header('accept'))) {
      const answer = await negotiate(c, fed)
      if (answer) return answer
    }
    await next()
    // Pages and feeds differ by Accept once federation is on: shared caches must know it.
    if ((c.res.headers.get('content-type') ?? '').startsWith('text/html'))
      c.res.headers.append('vary', 'Accept')
  })

  const withFed =
    (handler: (c: AppContext, fed: FederationEnv) => Promise<Response>) => (c: AppContext) => {
      const fed = federationOf(c.env ?? {})
      return fed ? handler(c, fed) : plain(404, 'not found')
    }

  // An actor's route: its feed found by the handle in the path, or 404.
  const withActor = (
    handler: (c: AppContext, fed: FederationEnv, found: Found) => Promise<Response>,
  ) =>
    withFed(async (c, fed) => {
      const found = await feedOf(c)
      return found ? handler(c, fed, found) : plain(404, 'no such actor')
    })

  app.get(
    '/.well-known/webfinger',
    withFed(async (c) => {
      const resource = c.req.query('resource')
      if (!resource) return plain(400, 'resource is required (RFC 7033 §4.2)')
      const catalog = await c.get('store').catalog(c.get('now'))
      const origin = requestOrigin(c)
      const resolved = resolveResource(catalog, resource, origin, () => actorFeeds(catalog))
      if (!resolved) return plain(404, `no actor ${resource}`)
      return new Response(JSON.stringify(renderJrd(resolved, origin)), {
        headers: {
          'content-type': 'application/jrd+json; charset=utf-8',
          'access-control-allow-origin': '*',
          ...JSON_HEADERS,
        },
      })
    }),
  )
  app.get(
    '/fediverse.json',
    withFed(async (c) => {
      const catalog = await c.get('store').catalog(c.get('now'))
      return json(renderHandleList(actorFeeds(catalog), requestOrigin(c)), 200, 'application/json')
    }),
  )
  app.get(
    '/.well-known/nodeinfo',
    withFed(async (c) => json(renderNodeInfoLinks(requestOrigin(c)), 200, 'application/json')),
  )
  app.get(
    '/nodeinfo/2.1',
    withFed(async (c) => {
      const catalog = await c.get('store').catalog(c.get('now'))
      return json(
        renderNodeInfo({ version: c.get('store').build(), title: catalog.site.title }),
        200,
        'application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"',
      )
    }),
  )
  app.get(
    '/ap/actors/:handle',
    withActor((c, fed, found) => actorFor(c, fed, found.feed)),
  )
  app.get(
    '/ap/actors/:handle/outbox',
    withActor((c, _fed, found) => outbox(c, found.feed, found.handle)),
  )
  app.get(
    '/ap/actors/:handle/followers',
    withActor((c, fed, found) => followers(c, fed, found.handle)),
  )
  app.get(
    '/ap/actors/:handle/following',
    withActor(async (c, _fed, found) =>
      json(renderCollection(`${actorUrl(requestOrigin(c), found.handle)}/following`, 0)),
    ),
  )
  app.post(
    '/ap/actors/:handle/inbox',
    withActor((c, fed, found) => inbox(c, fed, found.handle)),
  )
  app.post(
    '/ap/inbox',
    withFed((c, fed) => inbox(c, fed)),
  )
  app.get(
    '/ap/objects/:key',
    withFed(async (c, fed) => {
      const id = decodeObjectKey(c.req.param('key') ?? '')
      return id ? object(c, fed, id) : plain(404, 'no such object')
    }),
  )
}
