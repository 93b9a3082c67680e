import type { Hono } from 'hono'
import { HttpError } from '../http/errors'
import { digestOf } from '../model/digest'
import { findFeed } from '../model/feeds'
import type { FeedDefinition } from '../model/types'
import { articleUrl } from '../model/url'
import { dayOf } from '../profiles/feed'
import { renderArticlePage, renderFeedPage } from '../render/html/pages'
import { type AppContext, type AppEnv, feedAt } from './context'
import { indexPage } from './index-page'
import { listPage } from './lists'
import { feedsOpml, tagsOpml } from './opml'
import { fediverseOn, feedLinks, heldBy, htmlBody, servePage } from './page'

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
      render: async () => {
        const page = await store.page(
          feed,
          0,
          Math.min(catalog.site.defaultItems, feed.maxItems),
          now,
        )
        const links = feedLinks(origin, feed, fediverseOn(c))
        // An aggregator feed's page shows what the feed holds, not every article it selects from.
        const held = feed.profile ? await heldBy(c, catalog, feed, origin) : undefined
        const articles = held ? page.articles.filter((a) => held.has(a.id)) : page.articles
        return htmlBody(
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
    const canonicalUrl = articleUrl(origin, slug)
    return {
      parts: [found.revision],
      lastModified: found.updated,
      render: async () =>
        htmlBody(
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

/** HTML pages for people, and the OPML subscription lists. */
export function addPageRoutes(app: Hono<AppEnv>): void {
  app.get('/', indexPage)
  app.get('/feeds.opml', feedsOpml)
  app.get('/tags.opml', tagsOpml)
  app.get('/:kind{(?:tags|authors)}/', (c) =>
    listPage(c, c.req.param('kind') as 'tags' | 'authors'),
  )
  app.get('/:kind{(?:tags|authors)}', (c) => c.redirect(`${c.req.url.split('?')[0]}/`, 301))
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
