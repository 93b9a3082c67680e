import { describe, expect, it } from 'vitest'
import { feedOfHandle, handleOf } from '../../src/federation/handles'
import type { Catalog } from '../../src/model/feeds'
import { listFeeds } from '../../src/model/feeds'
import { makeAuthor, makeCategory, makeSite, makeTag } from '../helpers/builders'

// What every receiving server takes as a username: Mastodon's local USERNAME_RE, Misskey's.
const STRICT_USERNAME = /^[a-z0-9_]+$/

function feedAt(catalog: Catalog, path: string) {
  const feed = listFeeds(catalog).find((f) => f.path === path)
  if (!feed) throw new Error(`no feed ${path}`)
  return feed
}

function catalogOf(overrides: Partial<Catalog> = {}): Catalog {
  return { site: makeSite(), authors: [], categories: [], tags: [], curated: [], ...overrides }
}

describe('handleOf', () => {
  const catalog = catalogOf({
    categories: [
      makeCategory({ slug: 'security', name: 'Security' }),
      makeCategory({ slug: 'site', name: 'Site' }),
      makeCategory({ slug: 'world-news', name: 'World' }),
    ],
    authors: [makeAuthor({ slug: 'jane-doe', name: 'Jane Doe' })],
    tags: [
      makeTag({ slug: 'ελλάδα', name: 'Ελλάδα' }),
      makeTag({ slug: '人工智能', name: '人工智能' }),
      makeTag({ slug: 'security', name: 'Security' }),
    ],
  })

  it('names each kind as documented', () => {
    expect(listFeeds(catalog).map(handleOf).slice(0, 5)).toEqual([
      'site',
      'security',
      'category__site',
      'world_news',
      'author__jane_doe',
    ])
    expect(handleOf(feedAt(catalog, 'tags/security'))).toBe('tag__security')
  })

  it('gives non-ASCII tags a transliterated handle with a hash, within [a-z0-9_]', () => {
    const greek = handleOf(feedAt(catalog, 'tags/ελλάδα'))
    const chinese = handleOf(feedAt(catalog, 'tags/人工智能'))
    expect(greek).toMatch(/^tag__ellada__[a-z0-9]{8}$/)
    expect(chinese).toMatch(/^tag__rengongzhineng__[a-z0-9]{8}$/)
  })

  it('is unique across kinds, strict ASCII, and resolves back to its feed', () => {
    const handles = listFeeds(catalog).map(handleOf)
    expect(new Set(handles).size).toBe(handles.length)
    for (const handle of handles) expect(handle).toMatch(STRICT_USERNAME)
    for (const feed of listFeeds(catalog))
      expect(feedOfHandle(catalog, handleOf(feed))).toEqual(feed)
  })

  it('keeps two slugs that transliterate alike apart', () => {
    const alike = catalogOf({
      tags: [makeTag({ slug: 'ελλάδα', name: 'a' }), makeTag({ slug: 'ελλαδα', name: 'b' })],
    })
    const [a, b] = listFeeds(alike).slice(1).map(handleOf)
    expect(a).not.toBe(b)
  })
})
