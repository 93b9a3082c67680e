import { textBody } from '../http/encode'
import { catalogDigest } from '../model/digest'
import { type Catalog, findFeed, listFeeds } from '../model/feeds'
import type { FeedDefinition } from '../model/types'
import { DAY } from '../profiles/check'
import { renderOpml } from '../render/opml'
import type { AppContext } from './context'
import { feedLinks, servePage } from './page'

/** `/tags.opml` holds every tag up to this many; past it, the ones with the most articles. */
export const TAGS_OPML_MOST = 1000
/** `/feeds.opml` holds every author up to this many; past it, the busiest. */
export const AUTHORS_OPML_MOST = 100

/**
 * The feeds worth subscribing to at once: the site, its categories, curated feeds and authors.
 * Aggregator feeds are variants of these for machines, tags are many: each has its own list.
 */
export function forPeople(catalog: Catalog): FeedDefinition[] {
  const feeds = listFeeds({ ...catalog, tags: [] }).filter((feed) => !feed.profile)
  return ORDER.flatMap((kind) => feeds.filter((feed) => feed.kind === kind))
}

// The order of the index page: the site, categories, curated feeds, authors.
const ORDER: readonly FeedDefinition['kind'][] = ['site', 'category', 'curated', 'author']

const HEADINGS: Record<string, string> = {
  category: 'Categories',
  curated: 'Curated feeds',
  author: 'Authors',
  tag: 'Tags',
}

// OPML 2.0 outlines grouped by kind, the site first.
function outlines(catalog: Catalog, feeds: readonly FeedDefinition[], origin: string) {
  const groups = new Map<string, { title: string; feeds: ReturnType<typeof outline>[] }>()
  function outline(feed: FeedDefinition) {
    const links = feedLinks(origin, feed)
    return {
      title: feed.title,
      description: feed.description,
      xmlUrl: links.files[0]?.url as string,
      htmlUrl: links.pageUrl,
    }
  }
  for (const feed of feeds) {
    const title = feed.kind === 'site' ? catalog.site.title : (HEADINGS[feed.kind] as string)
    const group = groups.get(title) ?? { title, feeds: [] }
    group.feeds.push(outline(feed))
    groups.set(title, group)
  }
  return [...groups.values()]
}

async function serveOpml(
  c: AppContext,
  path: string,
  choose: (catalog: Catalog) => Promise<{ title: string; feeds: FeedDefinition[] }>,
) {
  return servePage(c, path, { html: false }, async (catalog, origin) => {
    const site = findFeed(catalog, '') as FeedDefinition
    const state = await c.get('store').state(site, c.get('now'))
    return {
      // The feeds it may list (the catalog), the date it prints, and the counts that rank tags:
      // all known from the site feed's state, before any feed is chosen.
      parts: [catalogDigest(catalog), state.revision],
      lastModified: state.updated,
      render: async () => {
        const { title, feeds } = await choose(catalog)
        const groups = outlines(catalog, feeds, origin)
        return {
          body: textBody(renderOpml({ site: catalog.site, title, updated: state.updated, groups })),
          contentType: 'text/x-opml; charset=utf-8',
        }
      },
    }
  })
}

/**
 * `/feeds.opml`: the feeds worth importing at once, as the title says: the site, categories,
 * curated feeds, and the authors (past AUTHORS_OPML_MOST, the busiest of the last 90 days).
 */
export function feedsOpml(c: AppContext) {
  return serveOpml(c, '/feeds.opml', async (catalog) => {
    const { title } = catalog.site
    const all = catalog.authors.length
    if (all <= AUTHORS_OPML_MOST)
      return {
        title: `${title}: the site, its categories, curated feeds and authors`,
        feeds: forPeople(catalog),
      }
    const now = c.get('now')
    const busiest = await c.get('store').busiest('author', now - 90 * DAY, now, AUTHORS_OPML_MOST)
    const authors = busiest.flatMap((a) => findFeed(catalog, `authors/${a.slug}`) ?? [])
    return {
      title: `${title}: the site, its categories, curated feeds and its ${AUTHORS_OPML_MOST} busiest authors of ${all.toLocaleString('en-US')} (all at /authors/)`,
      feeds: [...forPeople({ ...catalog, authors: [] }), ...authors],
    }
  })
}

/** `/tags.opml`: every tag feed, or past TAGS_OPML_MOST the ones with the most articles. */
export function tagsOpml(c: AppContext) {
  return serveOpml(c, '/tags.opml', async (catalog) => {
    const now = c.get('now')
    const all = catalog.tags.length
    const most = all > TAGS_OPML_MOST
    // Ranked by all their articles (the window ends now: nothing is recent), then named.
    const slugs = most
      ? (await c.get('store').busiest('tag', now, now, TAGS_OPML_MOST)).map((t) => t.slug)
      : catalog.tags.map((t) => t.slug)
    const feeds = slugs.flatMap((slug) => findFeed(catalog, `tags/${slug}`) ?? [])
    return {
      title: most
        ? `${catalog.site.title}: the ${TAGS_OPML_MOST.toLocaleString('en-US')} tags with the most articles, of ${all.toLocaleString('en-US')} (all at /tags/)`
        : `${catalog.site.title}: every tag`,
      feeds,
    }
  })
}
