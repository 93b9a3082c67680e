import { HttpError } from './errors'

/** The view of a feed a request asks for. */
export interface FeedQuery {
  limit: number
  page: number
}

const WHOLE_NUMBER = /^[1-9][0-9]{0,8}$/

function single(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name)
  if (values.length > 1) throw new HttpError(400, `${name} may be given once`)
  return values[0]
}

/**
 * Reads `?limit=` (1 to the feed's maximum) and `?page=` (from 1). Other parameters are
 * ignored, so tracking parameters neither fail a request nor split the cache.
 */
export function parseFeedQuery(
  params: URLSearchParams,
  defaultLimit: number,
  maxLimit: number,
): FeedQuery {
  const limit = single(params, 'limit')
  const page = single(params, 'page')
  if (limit !== undefined && (!WHOLE_NUMBER.test(limit) || Number(limit) > maxLimit)) {
    throw new HttpError(400, `limit must be a whole number from 1 to ${maxLimit}`)
  }
  if (page !== undefined && !WHOLE_NUMBER.test(page)) {
    throw new HttpError(400, 'page must be a whole number from 1')
  }
  return {
    limit: limit === undefined ? Math.min(defaultLimit, maxLimit) : Number(limit),
    page: page === undefined ? 1 : Number(page),
  }
}

/** The query string of a view, defaults left out and names in a fixed order (`limit`, `page`). */
export function formatFeedQuery(query: FeedQuery, defaultLimit: number): string {
  const parts: string[] = []
  if (query.limit !== defaultLimit) parts.push(`limit=${query.limit}`)
  if (query.page !== 1) parts.push(`page=${query.page}`)
  return parts.length > 0 ? `?${parts.join('&')}` : ''
}
