import type { ArticleStore } from './types'

/**
 * A store that hands every query to `inner` but those `overrides` answers: the one way to wrap
 * a store (to count, fail or change some queries). Each method is named, not proxied, so that
 * a query added to ArticleStore fails to compile here until it is passed on too.
 */
export function delegateStore(
  inner: ArticleStore,
  overrides: Partial<ArticleStore> = {},
): ArticleStore {
  return {
    build: () => inner.build(),
    catalog: (...args) => inner.catalog(...args),
    state: (...args) => inner.state(...args),
    nextAppearance: (...args) => inner.nextAppearance(...args),
    counts: (...args) => inner.counts(...args),
    busiest: (...args) => inner.busiest(...args),
    page: (...args) => inner.page(...args),
    listing: (...args) => inner.listing(...args),
    items: (...args) => inner.items(...args),
    candidates: (...args) => inner.candidates(...args),
    article: (...args) => inner.article(...args),
    appeared: (...args) => inner.appeared(...args),
    ...overrides,
  }
}
