import { Hono } from 'hono'
import { restrictHtml } from '../content/markdown'
import { articleFromRequest, type FieldProblem } from '../content/publish'
import { Brake, brakeKey, limiterOf } from '../http/brake'
import { NO_STORE } from '../http/cache-control'
import { opaqueTag, parseEntityTags } from '../http/conditional'
import { concatChunks } from '../http/encode'
import { checkToken, sameSecret } from '../http/secret'
import { pingHub } from '../http/websub'
import type { Article } from '../model/types'
import { renderAllFragments } from '../profiles/fragments'
import { D1Store } from '../store/d1'
import {
  deleteArticle,
  MAX_ROW_BYTES,
  oversizedRows,
  PreconditionFailed,
  readArticle,
  type StoredRecord,
  writeArticle,
} from '../store/d1-write'
import type { StoredArticle } from '../store/types'
import { feedTopics } from './announce'
import type { AppContext, AppEnv } from './context'
import { federateInBackground } from './federate'

/** Request bodies larger than this are refused with 413 before they are parsed. */
export const MAX_BODY_BYTES = 1024 * 1024

const UUID =
  /^(?:urn:uuid:)?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  if (status === 204)
    return new Response(null, { status, headers: { 'cache-control': NO_STORE, ...headers } })
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': NO_STORE,
      ...headers,
    },
  })
}

function problems(status: number, errors: FieldProblem[]): Response {
  return json(status, { errors })
}

function stale(): Response {
  return problems(412, [{ field: 'If-Match', message: 'does not match the current article' }])
}

// RFC 9110 §13.1.1: If-Match uses the strong comparison (§8.8.3.2), so a weak member never
// matches, though a strong one beside it in the list may; "*" matches any current article.
function ifMatchHolds(field: string | undefined, current: StoredRecord | undefined): boolean {
  if (field === undefined) return true
  const tags = parseEntityTags(field)
  if (!current || tags === undefined) return false
  if (tags === '*') return true
  const etag = opaqueTag(current.etag)
  return tags.some((tag) => !tag.weak && tag.opaque === etag)
}

// WebSub: the hub hears of a change readers can see. A scheduled article that stays ahead
// changes no feed yet; the Cron Trigger announces it at its minute.
async function announce(
  c: AppContext,
  store: D1Store,
  articles: (Article | undefined)[],
): Promise<void> {
  const now = c.get('now')
  const visible = articles.filter((a) => a && Date.parse(a.published) <= now)
  const catalog = await store.catalog(now)
  const hub = catalog.site.hub
  if (!hub || visible.length === 0) return
  c.executionCtx.waitUntil(pingHub(hub, feedTopics(catalog, visible)))
}

// The body's bytes, read no further than `limit`: a chunked body declares no length, and one
// that goes on is refused after the limit, not buffered whole first. Undefined when over.
async function readLimited(request: Request, limit: number): Promise<Uint8Array | undefined> {
  const reader = request.body?.getReader()
  if (!reader) return new Uint8Array(0)
  const chunks: Uint8Array[] = []
  let length = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    length += value.byteLength
    if (length > limit) {
      await reader.cancel()
      return undefined
    }
    chunks.push(value)
  }
  return concatChunks({ chunks, length })
}

async function readBody(c: AppContext): Promise<unknown | Response> {
  const tooLarge = () =>
    problems(413, [{ field: '(body)', message: `must be at most ${MAX_BODY_BYTES} bytes` }])
  const declared = Number(c.req.header('content-length') ?? 0)
  if (declared > MAX_BODY_BYTES) return tooLarge()
  const bytes = await readLimited(c.req.raw, MAX_BODY_BYTES)
  if (!bytes) return tooLarge()
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes))
  } catch (error) {
    // Invalid UTF-8 and invalid JSON are both the client's to fix: say which and where.
    return problems(400, [
      {
        field: '(body)',
        message: `is not valid JSON in UTF-8: ${error instanceof Error ? error.message : error}`,
      },
    ])
  }
}

function sameFragments(
  a: Readonly<Record<string, string>>,
  b: Readonly<Record<string, string>>,
): boolean {
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key])
}

// What a write answers with; a scheduled article says when it appears.
function summary(article: Article, etag: string, now: number) {
  return {
    id: article.id,
    slug: article.slug,
    url: article.url,
    published: article.published,
    updated: article.updated,
    ...(Date.parse(article.published) > now ? { scheduled: true, appears: article.published } : {}),
    etag,
  }
}

async function putArticle(c: AppContext, store: D1Store, id: string): Promise<Response> {
  const body = await readBody(c)
  if (body instanceof Response) return body
  const now = c.get('now')
  const current = await readArticle(store.db, id)
  const ifMatch = c.req.header('if-match')
  if (!ifMatchHolds(ifMatch, current)) return stale()
  const catalog = await store.catalog(now)
  const built = articleFromRequest({
    id,
    json: body,
    catalog,
    now,
    ...(current ? { currentSlug: current.article.slug } : {}),
  })
  if ('problems' in built) return problems(400, built.problems)
  let article = built.article
  // Once out, an article keeps its place in time; a scheduled one may still be moved or
  // published at once.
  const out = current !== undefined && Date.parse(current.article.published) <= now
  if (current && out && article.published < current.article.published) {
    return problems(409, [
      {
        field: 'published',
        message: `would move back from ${current.article.published}; send that date or a later one`,
      },
    ])
  }
  const owner = await store.db
    .prepare('SELECT id FROM articles WHERE slug = ? AND id != ?')
    .bind(article.slug, id)
    .first<{ id: string }>()
  if (owner)
    return problems(409, [{ field: 'slug', message: `is already the slug of ${owner.id}` }])
  const explicitUpdate = body !== null && typeof body === 'object' && 'updated' in body
  let edited = true
  if (current) {
    // `updated` moves only on a real edit: an identical re-publish changes nothing at all.
    const { fragments: _fragments, ...currentModel } = current.article
    const compared = explicitUpdate ? article : { ...article, updated: currentModel.updated }
    edited = JSON.stringify(compared) !== JSON.stringify(currentModel)
    if (!explicitUpdate) {
      // An edit before the article appears is not an update readers see: it appears as edited.
      const at = new Date(now).toISOString()
      const moved = at > article.published ? at : article.published
      article = { ...article, updated: edited ? moved : currentModel.updated }
    }
  }
  const stored: StoredArticle = {
    ...article,
    fragments: renderAllFragments(article, catalog, restrictHtml),
  }
  // A re-publish of the same article still rewrites it when this build renders it differently
  // (a renderer change, a newly configured aggregator profile): that is how old rows catch up.
  if (current && !edited && sameFragments(stored.fragments, current.article.fragments)) {
    return json(
      200,
      { status: 'unchanged', ...summary(current.article, current.etag, now) },
      { etag: current.etag },
    )
  }
  const oversized = oversizedRows(stored)
  if (oversized.length > 0)
    return problems(
      413,
      oversized.map(([what, bytes]) => ({
        field: '(body)',
        message: `renders ${what === 'the article' ? 'the article' : `its ${what} item`} to ${bytes} bytes; the store holds at most ${MAX_ROW_BYTES} in one`,
      })),
    )
  const version = crypto.randomUUID()
  let etag: string
  try {
    etag = await writeArticle(store.db, {
      article: stored,
      ...(ifMatch ? { ifMatch: current?.etag ?? '' } : {}),
      version,
      now,
    })
  } catch (error) {
    // The row changed between our read and our batch: the same answer as a stale If-Match.
    if (error instanceof PreconditionFailed) return stale()
    // Another article took the slug between our check and our batch.
    if (error instanceof Error && /UNIQUE constraint failed: articles\.slug/.test(error.message))
      return problems(409, [{ field: 'slug', message: 'was just taken by another article' }])
    throw error
  }
  store.forget()
  await announce(c, store, [current?.article, article])
  federateInBackground(c, store, current?.article, article)
  const created = !current
  return json(
    created ? 201 : 200,
    { status: created ? 'created' : 'replaced', ...summary(article, etag, now) },
    { etag, ...(created ? { location: c.req.url } : {}) },
  )
}

async function removeArticle(c: AppContext, store: D1Store, id: string): Promise<Response> {
  const current = await readArticle(store.db, id)
  if (!current) return json(404, { errors: [{ field: 'id', message: 'no such article' }] })
  const ifMatch = c.req.header('if-match')
  if (!ifMatchHolds(ifMatch, current)) return stale()
  const version = crypto.randomUUID()
  try {
    await deleteArticle(store.db, {
      id: current.article.id,
      ...(ifMatch ? { ifMatch: current.etag } : {}),
      version,
      now: c.get('now'),
    })
  } catch (error) {
    // As for writes: the article changed between our read and our batch.
    if (error instanceof PreconditionFailed) return stale()
    throw error
  }
  store.forget()
  await announce(c, store, [current.article])
  federateInBackground(c, store, current.article, undefined)
  return json(204, null)
}

async function getArticle(store: D1Store, id: string, now: number): Promise<Response> {
  const current = await readArticle(store.db, id)
  if (!current) return json(404, { errors: [{ field: 'id', message: 'no such article' }] })
  const { fragments: _fragments, ...article } = current.article
  const ahead = Date.parse(article.published) > now
  return json(
    200,
    { ...article, ...(ahead ? { scheduled: true, appears: article.published } : {}) },
    {
      etag: current.etag,
    },
  )
}

/**
 * The publish API: `PUT`, `GET` and `DELETE /api/articles/{id}` with a bearer token. Off (404)
 * when the Worker has no `API_TOKEN` secret or runs on the bundled store; 503 when the token is
 * too weak to use; 429 with `Retry-After` for a client braked after wrong tokens.
 */
export function createApi(brake = new Brake()): Hono<AppEnv> {
  const api = new Hono<AppEnv>()
  api.use(async (c, next) => {
    const secret = checkToken('API_TOKEN', c.env.API_TOKEN, [c.env.STATS_TOKEN])
    const store = c.get('store')
    if (secret.state === 'missing' || !(store instanceof D1Store))
      return json(404, { errors: [{ field: '(path)', message: 'not found' }] })
    if (secret.state === 'weak') {
      console.error(`publish API: refused: ${secret.problem}`)
      return json(503, {
        errors: [{ field: '(server)', message: 'the publish API is not configured' }],
      })
    }
    const key = brakeKey(c.req.header('cf-connecting-ip'))
    const now = c.get('now')
    // A braked client is refused before its token is compared, right or wrong.
    let wait = brake.heldFor(key, now)
    const token = /^Bearer (.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim()
    const valid = wait === undefined && !!token && (await sameSecret(token, secret.token))
    if (wait === undefined && token && !valid) wait = await brake.failed(limiterOf(c.env), key, now)
    if (wait !== undefined)
      return json(
        429,
        { errors: [{ field: 'Authorization', message: `too many wrong tokens: wait ${wait} s` }] },
        { 'retry-after': String(wait) },
      )
    if (!valid) {
      return json(
        401,
        { errors: [{ field: 'Authorization', message: 'a valid bearer token is required' }] },
        { 'www-authenticate': 'Bearer realm="newswire"' },
      )
    }
    await next()
  })
  api.all('/articles/:id', async (c) => {
    const match = UUID.exec(c.req.param('id'))
    if (!match)
      return json(404, {
        errors: [{ field: 'id', message: 'must be a UUID or urn:uuid: identifier' }],
      })
    const id = `urn:uuid:${(match[1] as string).toLowerCase()}`
    const store = c.get('store') as D1Store
    switch (c.req.method) {
      case 'PUT':
        return putArticle(c, store, id)
      case 'DELETE':
        return removeArticle(c, store, id)
      case 'GET':
      case 'HEAD':
        return getArticle(store, id, c.get('now'))
      default:
        return json(
          405,
          { errors: [{ field: '(method)', message: `${c.req.method} is not allowed here` }] },
          { allow: 'GET, HEAD, PUT, DELETE' },
        )
    }
  })
  api.all('*', () => json(404, { errors: [{ field: '(path)', message: 'not found' }] }))
  return api
}
