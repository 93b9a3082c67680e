import { catalogDigest } from '../model/digest'
import { type Catalog, findFeed } from '../model/feeds'
import type { FeedDefinition } from '../model/types'
import { DAY } from '../profiles/check'
import { type FeedGroup, renderIndexPage } from '../render/html/pages'
import type { AppContext } from './context'
import { AUTHORS_OPML_MOST, forPeople, TAGS_OPML_MOST } from './opml'
import { feedEntries, htmlBody, servePage } from './page'

const LATEST = 10
/** Authors listed on the index in full up to this many; past it, the busiest this many. */
export const AUTHORS_SHOWN = 30
/** Tags on the index: the busiest this many, by articles in the last RECENT_DAYS. */
export const TAGS_SHOWN = 30
export const RECENT_DAYS = 90

const count = (n: number) => n.toLocaleString('en-US')

// The feeds of `slugs` of one kind, in that order.
function feedsOf(
  catalog: Catalog,
  kind: 'tags' | 'authors' | 'categories',
  slugs: readonly string[],
) {
  return slugs.flatMap((slug) => findFeed(catalog, `${kind}/${slug}`) ?? [])
}

// Which authors and tags the index shows: all authors while they are few, else the busiest;
// the busiest tags. A site of 50,000 tags gets a front page of the same size as one of fifty.
async function chosen(c: AppContext, catalog: Catalog, now: number) {
  const store = c.get('store')
  const since = now - RECENT_DAYS * DAY
  const authors =
    catalog.authors.length <= AUTHORS_SHOWN
      ? catalog.authors.map((a) => a.slug)
      : (await store.busiest('author', since, now, AUTHORS_SHOWN)).map((a) => a.slug)
  const tags = (await store.busiest('tag', since, now, TAGS_SHOWN)).map((t) => t.slug)
  return { authors: feedsOf(catalog, 'authors', authors), tags: feedsOf(catalog, 'tags', tags) }
}

type Group = Omit<FeedGroup, 'feeds'> & { feeds: FeedDefinition[] }

function groupsOf(
  catalog: Catalog,
  shown: { authors: FeedDefinition[]; tags: FeedDefinition[] },
): Group[] {
  const curated = catalog.curated
  const { authors, tags } = catalog
  return [
    {
      heading: 'Categories',
      feeds: feedsOf(
        catalog,
        'categories',
        catalog.categories.map((category) => category.slug),
      ),
    },
    { heading: 'Curated feeds', feeds: curated.filter((f) => !f.profile) },
    {
      heading:
        authors.length > shown.authors.length
          ? `Authors: the ${shown.authors.length} busiest`
          : 'Authors',
      feeds: shown.authors,
      ...(authors.length > shown.authors.length
        ? { more: { href: '/authors/', text: `All ${count(authors.length)} authors, A to Z` } }
        : {}),
    },
    {
      heading: `Tags: the most used in the last ${RECENT_DAYS} days`,
      feeds: shown.tags,
      ...(tags.length > 0
        ? { more: { href: '/tags/', text: `All ${count(tags.length)} tags, A to Z` } }
        : {}),
    },
    { heading: 'For aggregators', feeds: curated.filter((f) => f.profile) },
  ]
}

/**
 * `/`: what a reader would subscribe to. The site, categories, curated feeds, aggregator feeds,
 * authors (all while few, else the busiest), the most used tags, links to the full lists and
 * to the OPML files, and the latest articles: a size bounded whatever the archive holds.
 */
export function indexPage(c: AppContext) {
  return servePage(c, '/', {}, async (catalog, origin) => {
    const store = c.get('store')
    const now = c.get('now')
    const site = findFeed(catalog, '') as FeedDefinition
    // Every count on the page is of articles the site feed holds: its state covers them all;
    // which tags are busiest, and what aggregator feeds hold, turn over with the day.
    const state = await store.state(site, now)
    return {
      parts: [catalogDigest(catalog), state.revision, Math.floor(now / DAY)],
      lastModified: state.updated,
      render: async () => {
        const groups = groupsOf(catalog, await chosen(c, catalog, now))
        const shown = [site, ...groups.flatMap((group) => group.feeds)]
        const entries = new Map(
          (await feedEntries(c, catalog, shown, origin)).map((e) => [e.feed.path, e]),
        )
        const latest = await store.page(site, 0, LATEST, now)
        return htmlBody(
          renderIndexPage({
            site: catalog.site,
            origin,
            siteFeed: entries.get('') as NonNullable<ReturnType<typeof entries.get>>,
            groups: groups.map((group) => ({
              ...group,
              feeds: group.feeds.map(
                (feed) => entries.get(feed.path) as NonNullable<ReturnType<typeof entries.get>>,
              ),
            })),
            opml: [
              {
                href: '/feeds.opml',
                text:
                  catalog.authors.length > AUTHORS_OPML_MOST
                    ? `The site, its categories, curated feeds and ${AUTHORS_OPML_MOST} busiest authors (OPML)`
                    : 'The site, its categories, curated feeds and authors (OPML)',
                count:
                  forPeople({ ...catalog, authors: [] }).length +
                  Math.min(catalog.authors.length, AUTHORS_OPML_MOST),
              },
              ...(catalog.tags.length
                ? [
                    {
                      href: '/tags.opml',
                      text:
                        catalog.tags.length > TAGS_OPML_MOST
                          ? `The ${count(TAGS_OPML_MOST)} most used tags (OPML)`
                          : 'Every tag (OPML)',
                      count: Math.min(catalog.tags.length, TAGS_OPML_MOST),
                    },
                  ]
                : []),
            ],
            latest: latest.articles,
          }),
        )
      },
    }
  })
}
