import type { Hono } from 'hono'
import { publicCacheControl } from '../http/cache-control'
import { textBody } from '../http/encode'
import { HttpError } from '../http/errors'
import { PAGE_CSP } from '../http/headers'
import { type Rendered, type Resolved, serveResource } from '../http/serve'
import { type Catalog, findFeed, listFeeds } from '../model/feeds'
import type { FeedDefinition } from '../model/types'
import { DAY } from '../profiles/check'
import { encodePath, feedFileUrl, feedPageUrl } from '../render/document'
import { type FeedFormat, formatsOf } from '../render/formats'
import type { FeedLinks } from '../render/html/layout'
import {
  type FeedEntry,
  renderArticlePage,
  renderFeedPage,
  renderIndexPage,
} from '../render/html/pages'
import { renderOpml } from '../render/opml'
import { type AppContext, type AppEnv, requestOrigin, serveContext } from './context'
import { profileFeed } from './profile-feeds'

const LATEST = 10
const HTML_HEADERS = { 'content-security-policy': PAGE_CSP }

function feedLinks(origin: string, feed: FeedDefinition): FeedLinks {
  return {
    feed,
    pageUrl: feedPageUrl(origin, feed),
    files: formatsOf(feed).map((format) => ({
      format,
      url: feedFileUrl(origin, feed, format.file),
    })),
  }
}

/** How pages group feeds: by kind, with aggregator profiles apart from curated feeds. */
type Group = FeedDefinition['kind'] | 'aggregator'

function groupOf(feed: FeedDefinition): Group {
  return feed.profile ? 'aggregator' : feed.kind
}

// People subscribe to the first four; aggregator feeds are listed for editors to hand out.
const GROUPS: { kind: Group; heading: string }[] = [
  { kind: 'category', heading: 'Categories' },
  { kind: 'curated', heading: 'Curated feeds' },
  { kind: 'author', heading: 'Authors' },
  { kind: 'tag', heading: 'Tags' },
  { kind: 'aggregator', heading: 'For aggregators' },
]

// What an aggregator feed holds today: fewer than the articles it selects from.
async function heldBy(
  c: AppContext,
  catalog: Catalog,
  feed: FeedDefinition,
  origin: string,
): Promise<Set<string>> {
  const format = formatsOf(feed)[0] as FeedFormat
  const url = feedFileUrl(origin, feed, format.file)
  const held = await profileFeed(
    c.get('store'),
    catalog.site,
    feed,
    format,
    url,
    c.get('now')(),
    feed.maxItems,
  )
  return new Set(held.kept.map((item) => item.id))
}

async function countOf(
  c: AppContext,
  catalog: Catalog,
  feed: FeedDefinition,
  origin: string,
): Promise<number> {
  return feed.profile
    ? (await heldBy(c, catalog, feed, origin)).size
    : (await c.get('store').page(feed, 0, 0)).total
}

async function feedEntries(c: AppContext, catalog: Catalog, origin: string): Promise<FeedEntry[]> {
  return Promise.all(
    listFeeds(catalog).map(async (feed) => ({
      ...feedLinks(origin, feed),
      count: await countOf(c, catalog, feed, origin),
    })),
  )
}

function html(body: string): Rendered {
  return {
    body: textBody(body),
    contentType: 'text/html; charset=utf-8',
  }
}

// Whether what an aggregator feed holds changes with the day: its profile has an age rule.
function ageMatters(feed: FeedDefinition): boolean {
  return feed.profile?.maxAgeDays !== undefined
}

interface PageOptions {
  /** The OPML: readable cross-origin, and not HTML (no page CSP). */
  opml?: boolean
  /** Whether the page shows what an aggregator feed holds today. */
  daily?: (catalog: Catalog) => boolean
}

/** Serves a page or the OPML at `path` (decoded: it is percent-encoded here). */
async function servePage(
  c: AppContext,
  path: string,
  options: PageOptions,
  resolve: (catalog: Catalog, origin: string) => Promise<Resolved>,
) {
  const store = c.get('store')
  const catalog = await store.catalog()
  const origin = requestOrigin(c)
  const canonicalUrl = `${origin}${encodePath(path)}`
  const resource = {
    canonicalUrl,
    // What an aggregator feed holds changes with the day (age rules): so do pages showing it.
    version:
      (await store.version()) +
      (options.daily?.(catalog) ? `-day${Math.floor(c.get('now')() / DAY)}` : ''),
    cacheControl: publicCacheControl(catalog.site),
    cors: options.opml === true,
    ...(options.opml ? {} : { headers: HTML_HEADERS }),
    resolve: () => resolve(catalog, origin),
  }
  return serveResource(c.req.raw, resource, serveContext(c, catalog.site))
}

function indexPage(c: AppContext) {
  return servePage(
    c,
    '/',
    { daily: (catalog) => listFeeds(catalog).some(ageMatters) },
    async (catalog, origin) => {
      const store = c.get('store')
      const entries = await feedEntries(c, catalog, origin)
      const [siteFeed, ...rest] = entries as [FeedEntry, ...FeedEntry[]]
      const latest = await store.page(siteFeed.feed, 0, LATEST)
      const groups = GROUPS.map(({ kind, heading }) => ({
        heading,
        feeds: rest.filter((e) => groupOf(e.feed) === kind),
      }))
      return {
        lastModified: latest.updated,
        render: () =>
          html(
            renderIndexPage({
              site: catalog.site,
              origin,
              siteFeed,
              groups,
              latest: latest.articles,
            }),
          ),
      }
    },
  )
}

function feedPage(c: AppContext, kind: string, slug: string) {
  const path = `${kind}/${slug}`
  return servePage(
    c,
    `/${path}/`,
    {
      daily: (catalog) => {
        const feed = findFeed(catalog, path)
        return feed !== undefined && ageMatters(feed)
      },
    },
    async (catalog, origin) => {
      const feed = findFeed(catalog, path)
      if (!feed) throw new HttpError(404, 'no such feed')
      const store = c.get('store')
      const page = await store.page(feed, 0, Math.min(catalog.site.defaultItems, feed.maxItems))
      const links = feedLinks(origin, feed)
      // An aggregator feed's page shows what the feed holds, not every article it selects from.
      const held = feed.profile ? await heldBy(c, catalog, feed, origin) : undefined
      const articles = held ? page.articles.filter((a) => held.has(a.id)) : page.articles
      const author =
        feed.kind === 'author' ? catalog.authors.find((a) => a.slug === slug) : undefined
      return {
        lastModified: page.updated,
        render: () =>
          html(
            renderFeedPage({ site: catalog.site, links, articles, ...(author ? { author } : {}) }),
          ),
      }
    },
  )
}

function articlePage(c: AppContext, slug: string) {
  return servePage(c, `/articles/${slug}/`, {}, async (catalog, origin) => {
    const article = await c.get('store').article(slug)
    if (!article) throw new HttpError(404, 'no such article')
    const siteFeed = feedLinks(origin, findFeed(catalog, '') as FeedDefinition)
    const canonicalUrl = `${origin}/articles/${encodeURIComponent(slug)}/`
    return {
      lastModified: article.updated,
      render: () =>
        html(renderArticlePage({ site: catalog.site, article, canonicalUrl, siteFeed })),
    }
  })
}

function opml(c: AppContext) {
  return servePage(c, '/feeds.opml', { opml: true }, async (catalog, origin) => {
    // Links only: the OPML needs no article counts, so it asks the store for nothing per feed.
    const all = listFeeds(catalog).map((feed) => feedLinks(origin, feed))
    const feeds = (kind: Group) =>
      all
        .filter((e) => groupOf(e.feed) === kind)
        .map((e) => ({
          title: e.feed.title,
          description: e.feed.description,
          xmlUrl: e.files[0]?.url as string,
          htmlUrl: e.pageUrl,
        }))
    // A subscription list for people: the aggregator variants would only be duplicates there.
    const forPeople = GROUPS.filter((group) => group.kind !== 'aggregator')
    const groups = [{ kind: 'site' as const, heading: catalog.site.title }, ...forPeople].map(
      ({ kind, heading }) => ({ title: heading, feeds: feeds(kind) }),
    )
    const updated = (await c.get('store').page(all[0]?.feed as FeedDefinition, 0, 0)).updated
    return {
      lastModified: updated,
      render: () => ({
        body: textBody(renderOpml({ site: catalog.site, updated, groups })),
        contentType: 'text/x-opml; charset=utf-8',
      }),
    }
  })
}

/** HTML pages for people, and the OPML subscription list. */
export function addPageRoutes(app: Hono<AppEnv>): void {
  app.get('/', indexPage)
  app.get('/feeds.opml', opml)
  app.get('/:kind{(?:categories|authors|tags|feeds)}/:slug/', (c) =>
    feedPage(c, c.req.param('kind'), c.req.param('slug')),
  )
  app.get('/articles/:slug/', (c) => articlePage(c, c.req.param('slug')))
  // A page address typed without its trailing slash still finds the page, if there is one.
  app.get('/:kind{(?:categories|authors|tags|feeds|articles)}/:slug', async (c) => {
    const { kind, slug } = c.req.param()
    const store = c.get('store')
    const exists =
      kind === 'articles'
        ? await store.article(slug)
        : findFeed(await store.catalog(), `${kind}/${slug}`)
    if (!exists) throw new HttpError(404, 'not found')
    return c.redirect(`${c.req.url.split('?')[0]}/`, 301)
  })
}
