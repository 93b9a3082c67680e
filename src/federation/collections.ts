import { CONTEXT } from './urls'

/** Items per page of outboxes and followers collections. */
export const COLLECTION_PAGE = 20

/**
 * An `OrderedCollection` (AS2 Vocabulary §3.5) that names only its size and its first page,
 * as Mastodon reads outboxes and followers: it counts without walking pages.
 */
export function renderCollection(id: string, total: number): Record<string, unknown> {
  return {
    '@context': CONTEXT[0],
    id,
    type: 'OrderedCollection',
    totalItems: total,
    first: `${id}?page=1`,
    last: `${id}?page=${Math.max(1, Math.ceil(total / COLLECTION_PAGE))}`,
  }
}

/** Page `page` (from 1) of a collection, with `next`/`prev` where there are more. */
export function renderCollectionPage(
  id: string,
  page: number,
  total: number,
  items: unknown[],
): Record<string, unknown> {
  return {
    '@context': CONTEXT[0],
    id: `${id}?page=${page}`,
    type: 'OrderedCollectionPage',
    partOf: id,
    totalItems: total,
    orderedItems: items,
    ...(page * COLLECTION_PAGE < total ? { next: `${id}?page=${page + 1}` } : {}),
    ...(page > 1 ? { prev: `${id}?page=${page - 1}` } : {}),
  }
}
