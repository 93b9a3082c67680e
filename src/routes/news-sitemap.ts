import { textBody } from '../http/encode'
import { findFeed } from '../model/feeds'
import { displayTitle } from '../model/title'
import type { FeedDefinition } from '../model/types'
import { articleUrl } from '../model/url'
import { MAX_NEWS_URLS, newsLanguage, renderNewsSitemap } from '../render/sitemap'
import type { ListedArticle } from '../store/types'
import type { AppContext } from './context'
import { servePage } from './page'

/**
 * Google News takes articles published in the last two days
 * (https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap): an
 * article is in the window from its minute until the instant it is 48 hours old.
 */
export const NEWS_WINDOW = 48 * 60 * 60 * 1000

/** What the news sitemap holds at an instant, and how the clock alone changes it. */
export interface NewsWindow {
  /** How many of the newest articles it lists. */
  count: number
  /** Milliseconds: when its oldest article turns 48 hours old and leaves. */
  until?: number
  /** RFC 3339: its last change, an article's update or the last article leaving. */
  lastModified: string
}

/**
 * The news sitemap's window over the newest visible articles (newest first, at least
 * MAX_NEWS_URLS of them when there are that many): those less than 48 hours old, at most
 * MAX_NEWS_URLS. Only its count changes with the clock, so the count names its content.
 */
export function newsWindow(newest: readonly ListedArticle[], now: number): NewsWindow {
  const start = now - NEWS_WINDOW
  const published = (i: number) => Date.parse((newest[i] as ListedArticle).published)
  let count = 0
  while (count < newest.length && count < MAX_NEWS_URLS && published(count) > start) count++
  // The article after the last listed one left when it turned 48 hours old, unless the cap,
  // not its age, kept it out.
  const left = count < MAX_NEWS_URLS && count < newest.length ? published(count) + NEWS_WINDOW : 0
  const changed = newest
    .slice(0, count)
    .reduce((max, a) => Math.max(max, Date.parse(a.updated)), left)
  return {
    count,
    ...(count > 0 ? { until: published(count - 1) + NEWS_WINDOW } : {}),
    lastModified: new Date(changed).toISOString(),
  }
}

/**
 * `/news-sitemap.xml`: a Google News sitemap of the articles of the last 48 hours, newest
 * first. Its revision is the site feed's and the window's count; it is fresh until the next
 * scheduled article appears or its oldest article leaves, whichever comes first.
 */
export function newsSitemap(c: AppContext) {
  return servePage(c, '/news-sitemap.xml', { html: false }, async (catalog, origin) => {
    const store = c.get('store')
    const now = c.get('now')
    const site = findFeed(catalog, '') as FeedDefinition
    const [state, newest] = await Promise.all([
      store.state(site, now),
      store.listing(0, MAX_NEWS_URLS, now),
    ])
    const window = newsWindow(newest.articles, now)
    return {
      parts: [state.revision, window.count],
      lastModified: window.lastModified,
      // The next scheduled minute caps it as it caps every response (serveResource).
      ...(window.until === undefined ? {} : { expires: window.until }),
      render: async () => {
        // Titles are not in the bundled store's index (they would weigh on every isolate's
        // heap for every article), so the window's articles are read: the site feed's newest,
        // at most Google's 1,000 and for most newsrooms a few hundred, the very articles every
        // feed reads and the record cache keeps.
        const { articles } = await store.page(site, 0, window.count, now)
        const publication = {
          name: catalog.site.title,
          language: newsLanguage(catalog.site.language),
        }
        const body = renderNewsSitemap(
          publication,
          articles.map((a) => ({
            loc: articleUrl(origin, a.slug),
            published: a.published,
            // Google News requires news:title: an untitled article shows what stands in.
            title: displayTitle(a),
          })),
        )
        return { body: textBody(body), contentType: 'application/xml; charset=utf-8' }
      },
    }
  })
}
