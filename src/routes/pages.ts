import type { Hono } from 'hono'
import { cachePolicy } from '../http/cache-control'
import { textBody } from '../http/encode'
import { HttpError } from '../http/errors'
import { PAGE_CSP } from '../http/headers'
import { type Rendered, type Resource, serveResource } from '../http/serve'
import { type Catalog, findFeed, listFeeds } from '../model/feeds'
import type { FeedDefinition } from '../model/types'
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
import { type AppContext, type AppEnv, feedAt, requestOrigin, serveContext } from './context'
import { dayOf, profileFeed } from './profile-feeds'
import { catalogDigest, digestOf, revisionOf } from './revision'

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
  const store = c.get('store')
  const now = c.get('now')
  const format = formatsOf(feed)[0] as FeedFormat
  const selfUrl = feedFileUrl(origin, feed, format.file)
  const { updated } = await store.state(feed, now)
  const doc = { site: catalog.site, feed, selfUrl, updated }
  const held = await profileFeed(store, doc, format, now, feed.maxItems)
  return new Set(held.kept.map((item) => item.id))
}

async function feedEntries(c: AppContext, catalog: Catalog, origin: string): Promise<FeedEntry[]> {
  const feeds = listFeeds(catalog)
  const counts = await c.get('store').counts(
    feeds.filter((feed) => !feed.profile),
    c.get('now'),
  )
  return Promise.all(
    feeds.map(async (feed) => ({
      ...feedLinks(origin, feed),
      count: feed.profile
        ? (await heldBy(c, catalog, feed, origin)).size
        : (counts.get(feed.path) ?? 0),
    })),
  )
}

function html(body: string): Rendered {
  return {
    body: textBody(body),
    contentType: 'text/html; charset=utf-8',
  }
}

/** A page's content as the resource knows it before rendering. */
interface PageState {
  /** What else, beside the build and the site, selects the page's bytes. */
  parts: (string | number | undefined)[]
  lastModified: string
  expires?: number
  render(): Promise<Rendered>
}

/** Serves a page or the OPML at `path` (decoded: it is percent-encoded here). */
async function servePage(
  c: AppContext,
  path: string,
  options: { opml?: boolean },
  resolve: (catalog: Catalog, origin: string) => Promise<PageState>,
) {
  const store = c.get('store')
  const catalog = await store.catalog(c.get('now'))
  const origin = requestOrigin(c)
  const page = await resolve(catalog, origin)
  const resource: Resource = {
    canonicalUrl: `${origin}${encodePath(path)}`,
    revision: revisionOf([store.build(), digestOf(catalog.site, catalog.site), ...page.parts]),
    lastModified: page.lastModified,
    cache: cachePolicy(catalog.site),
    ...(page.expires === undefined ? {} : { expires: page.expires }),
    // The OPML is readable cross-origin, and not HTML (no page CSP).
    cors: options.opml === true,
    ...(options.opml ? {} : { headers: HTML_HEADERS }),
    render: page.render,
  }
  return serveResource(c.req.raw, resource, serveContext(c, catalog.site))
}

function indexPage(c: AppContext) {
  return servePage(c, '/', {}, async (catalog, origin) => {
    const store = c.get('store')
    const now = c.get('now')
    const site = findFeed(catalog, '') as FeedDefinition
    // Every count on the page is of articles the site feed holds: its state covers them all.
    const state = await store.state(site, now)
    const aggregators = listFeeds(catalog).filter((feed) => dayOf(feed, now) !== undefined)
    return {
      parts: [catalogDigest(catalog), state.revision, aggregators[0] && dayOf(aggregators[0], now)],
      lastModified: state.updated,
      ...(state.next === undefined ? {} : { expires: state.next }),
      render: async () => {
        const entries = await feedEntries(c, catalog, origin)
        const [siteFeed, ...rest] = entries as [FeedEntry, ...FeedEntry[]]
        const latest = await store.page(site, 0, LATEST, now)
        const groups = GROUPS.map(({ kind, heading }) => ({
          heading,
          feeds: rest.filter((e) => groupOf(e.feed) === kind),
        }))
        return html(
          renderIndexPage({
            site: catalog.site,
            origin,
            siteFeed,
            groups,
            latest: latest.articles,
          }),
        )
      },
    }
  })
}

function feedPage(c: AppContext, kind: string, slug: string) {
  const path = `${kind}/${slug}`
  return servePage(c, `/${path}/`, {}, async (catalog, origin) => {
    const feed = await feedAt(c.get('store'), path, c.get('now'))
    if (!feed) throw new HttpError(404, 'no such feed')
    const store = c.get('store')
    const now = c.get('now')
    const state = await store.state(feed, now)
    const author = feed.kind === 'author' ? catalog.authors.find((a) => a.slug === slug) : undefined
    return {
      parts: [
        digestOf(catalog.site, feed),
        author && digestOf(feed, author),
        state.revision,
        dayOf(feed, now),
      ],
      lastModified: state.updated,
      ...(state.next === undefined ? {} : { expires: state.next }),
      render: async () => {
        const page = await store.page(
          feed,
          0,
          Math.min(catalog.site.defaultItems, feed.maxItems),
          now,
        )
        const links = feedLinks(origin, feed)
        // An aggregator feed's page shows what the feed holds, not every article it selects from.
        const held = feed.profile ? await heldBy(c, catalog, feed, origin) : undefined
        const articles = held ? page.articles.filter((a) => held.has(a.id)) : page.articles
        return html(
          renderFeedPage({ site: catalog.site, links, articles, ...(author ? { author } : {}) }),
        )
      },
    }
  })
}

function articlePage(c: AppContext, slug: string) {
  return servePage(c, `/articles/${slug}/`, {}, async (catalog, origin) => {
    // A scheduled article does not exist before its minute: 404, like any unknown address.
    const found = await c.get('store').article(slug, c.get('now'))
    if (!found) throw new HttpError(404, 'no such article')
    const siteFeed = feedLinks(origin, findFeed(catalog, '') as FeedDefinition)
    const canonicalUrl = `${origin}/articles/${encodeURIComponent(slug)}/`
    return {
      parts: [found.revision],
      lastModified: found.updated,
      render: async () =>
        html(
          renderArticlePage({
            site: catalog.site,
            article: await found.read(),
            canonicalUrl,
            siteFeed,
          }),
        ),
    }
  })
}

function opml(c: AppContext) {
  return servePage(c, '/feeds.opml', { opml: true }, async (catalog, origin) => {
    const site = findFeed(catalog, '') as FeedDefinition
    const { updated } = await c.get('store').state(site, c.get('now'))
    return {
      // The feeds it lists (the catalog) and the date it prints.
      parts: [catalogDigest(catalog), updated],
      lastModified: updated,
      render: async () => {
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
        return {
          body: textBody(renderOpml({ site: catalog.site, updated, groups })),
          contentType: 'text/x-opml; charset=utf-8',
        }
      },
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
    const now = c.get('now')
    const exists =
      kind === 'articles'
        ? await store.article(slug, now)
        : await feedAt(store, `${kind}/${slug}`, now)
    if (!exists) throw new HttpError(404, 'not found')
    return c.redirect(`${c.req.url.split('?')[0]}/`, 301)
  })
}
