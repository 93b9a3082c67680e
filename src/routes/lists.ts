import { HttpError } from '../http/errors'
import {
  filterIndex,
  foundLetters,
  type ListEntry,
  type ListKind,
  listCounts,
  listIndex,
} from '../lists/list-index'
import { listPageBody } from '../lists/rows'
import { catalogDigest } from '../model/digest'
import { findFeed } from '../model/feeds'
import type { FeedDefinition } from '../model/types'
import { letterAnchor, renderFeedListPage } from '../render/html/lists'
import type { AppContext } from './context'
import { fediverseOn, feedLinks, servePage } from './page'

/** Entries on one page of `/tags/` or `/authors/`. */
export const LIST_PAGE = 200
const MAX_QUERY = 100
const WHOLE_NUMBER = /^[1-9][0-9]{0,8}$/

interface ListQuery {
  q: string
  page: number
}

function parseListQuery(params: URLSearchParams): ListQuery {
  const q = params.getAll('q')
  const page = params.getAll('page')
  if (q.length > 1 || page.length > 1) throw new HttpError(400, 'q and page may be given once')
  const text = (q[0] ?? '').replace(/\s+/g, ' ').trim()
  if (text.length > MAX_QUERY) throw new HttpError(400, `q must be at most ${MAX_QUERY} characters`)
  if (page[0] !== undefined && !WHOLE_NUMBER.test(page[0]))
    throw new HttpError(400, 'page must be a whole number from 1')
  return { q: text, page: page[0] === undefined ? 1 : Number(page[0]) }
}

/** A list's query as it is spelled in every link: defaults left out, `q` then `page`. */
function formatListQuery(query: ListQuery): string {
  const params = new URLSearchParams()
  if (query.q) params.set('q', query.q)
  if (query.page !== 1) params.set('page', String(query.page))
  const search = params.toString()
  return search ? `?${search}` : ''
}

// RFC 8288: the pages of a paged list link each other, in the header as in the page.
function linkHeader(links: { previous?: string; next?: string }): Record<string, string> {
  const parts = [
    ...(links.previous ? [`<${links.previous}>; rel="prev"`] : []),
    ...(links.next ? [`<${links.next}>; rel="next"`] : []),
  ]
  return parts.length ? { link: parts.join(', ') } : {}
}

/**
 * `/tags/` and `/authors/`: every feed of the kind, alphabetical by the site language's
 * collation, paged, with a letter index; `?q=` keeps the names that hold the text, accents
 * and case aside. Other spellings of the query are sent to the canonical one.
 */
export async function listPage(c: AppContext, kind: ListKind) {
  const url = new URL(c.req.url)
  const query = parseListQuery(url.searchParams)
  const search = formatListQuery(query)
  if (url.search !== search) return c.redirect(`${url.origin}${url.pathname}${search}`, 301)
  const path = `/${kind}/`
  // A filtered page is made from the index and the row values the list keeps, and kept in
  // no cache: its query is whoever's choice, and a cache of them would only churn.
  const options = query.q ? { query: search, keep: false as const } : { query: search }
  return servePage(c, path, options, async (catalog, origin) => {
    const store = c.get('store')
    const now = c.get('now')
    const index = listIndex(catalog, kind)
    const found = filterIndex(index, query.q)
    const total = found ? found.length : index.entries.length
    const pages = Math.max(1, Math.ceil(total / LIST_PAGE))
    if (query.page > pages) throw new HttpError(404, 'no such page: the list ends before it')
    const at = (page: number) => `${origin}${path}${formatListQuery({ q: query.q, page })}`
    const paging = {
      page: query.page,
      pages,
      ...(query.page > 1 ? { previous: at(query.page - 1) } : {}),
      ...(query.page < pages ? { next: at(query.page + 1) } : {}),
    }
    const letters = foundLetters(index, found).map(({ letter, rank }) => ({
      letter,
      href: `${path}${formatListQuery({ q: query.q, page: Math.floor(rank / LIST_PAGE) + 1 })}${letterAnchor(letter)}`,
    }))
    const from = (query.page - 1) * LIST_PAGE
    const positions = found
      ? Array.from(found.subarray(from, from + LIST_PAGE))
      : Array.from({ length: Math.min(LIST_PAGE, total - from) }, (_, i) => from + i)
    const entries = positions.map((position) => index.entries[position] as ListEntry)
    const site = findFeed(catalog, '') as FeedDefinition
    const state = await store.state(site, now)
    return {
      // The names it lists (the catalog) and their counts (every article is in the site feed).
      parts: [catalogDigest(catalog), state.revision],
      lastModified: state.updated,
      headers: linkHeader(paging),
      render: async () => {
        const counts = await listCounts(store, catalog, kind, state.revision, now)
        const text = renderFeedListPage({
          site: catalog.site,
          siteFeed: feedLinks(origin, site),
          heading: kind === 'tags' ? 'Tags' : 'Authors',
          path,
          canonicalUrl: `${origin}${path}${search}`,
          all: index.entries.length,
          found: total,
          query: query.q,
          entries,
          letters,
          paging,
        })
        const fediverse = fediverseOn(c)
        const body = listPageBody(text, {
          index,
          positions,
          counts,
          links: { origin, fediverse, of: (feed) => feedLinks(origin, feed, fediverse) },
        })
        return { body, contentType: 'text/html; charset=utf-8' }
      },
    }
  })
}
