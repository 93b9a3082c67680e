/**
 * Old addresses → new ones, for content/redirects.yaml: each article's old permalink (and
 * WordPress's `/?p=ID`), the old feeds, and WordPress's category, tag and author feeds.
 */
import { parse } from 'yaml'
import { REDIRECTS_FILE } from '../../content/redirects'
import { parseFrom } from '../../model/redirects'
import { slugify } from '../../model/slug'
import type { SourceRead, SourceTerm } from '../source'
import type { PlannedItem } from './items'
import { type Terms, termSlug } from './terms'
import { type Existing, type Plan, type RedirectRule, yamlText } from './types'

/** The path (and query) of `link` on one of the old site's `origins`; a root-relative link as is. */
export function oldPath(
  link: string | undefined,
  origins: ReadonlySet<string>,
): string | undefined {
  if (!link) return undefined
  if (link.startsWith('/') && !link.startsWith('//')) return link
  try {
    const url = new URL(link)
    return origins.has(url.origin) ? url.pathname + url.search : undefined
  } catch {
    return undefined
  }
}

/** The path every old WordPress URL starts with (`/blog` for a site under /blog/). */
export function basePath(read: SourceRead): string {
  try {
    return new URL(read.wordpress?.base ?? read.link ?? '').pathname.replace(/\/+$/, '')
  } catch {
    return ''
  }
}

function originsOf(urls: (string | undefined)[]): Set<string> {
  return new Set(
    urls
      .filter((u): u is string => !!u)
      .flatMap((u) => {
        try {
          return [new URL(u).origin]
        } catch {
          return []
        }
      }),
  )
}

/** The old permalink, and WordPress's /?p=ID, lead to the article; its comment feed is gone. */
export function itemRedirects({ item, read }: PlannedItem, slug: string): RedirectRule[] {
  const rules: RedirectRule[] = []
  const path = oldPath(item.link, originsOf([read.link, read.wordpress?.base, item.link]))
  const target = `/articles/${slug}/`
  if (path && path !== target) {
    rules.push({ from: path, to: target })
    if (read.wordpress && !path.includes('?'))
      rules.push({ from: `${path.endsWith('/') ? path : `${path}/`}feed/`, status: 410 })
  }
  if (read.wordpress && item.postId)
    rules.push({ from: `${basePath(read)}/?p=${item.postId}`, to: target })
  return rules
}

const WORDPRESS_FEEDS = [
  ['/feed/', '/rss.xml'],
  ['/feed/rss2/', '/rss.xml'],
  ['/feed/rss/', '/rss.xml'],
  ['/feed/rdf/', '/rss.xml'],
  ['/feed/atom/', '/atom.xml'],
  ['/?feed=rss2', '/rss.xml'],
  ['/?feed=rss', '/rss.xml'],
  ['/?feed=rdf', '/rss.xml'],
  ['/?feed=atom', '/atom.xml'],
] as const

/**
 * The categories a WordPress site had: the channel's list, and those only its posts name (a
 * WordPress.com export has no channel-level `<wp:category>`).
 */
function wordpressCategories(read: SourceRead): SourceTerm[] {
  const listed = new Map(read.categories.map((c) => [c.slug, c]))
  for (const item of read.items)
    for (const category of item.categories)
      if (category.slug && !listed.has(category.slug)) listed.set(category.slug, category)
  return [...listed.values()]
}

function wordpressRedirects(read: SourceRead, terms: Terms): RedirectRule[] {
  const base = basePath(read)
  const rules: RedirectRule[] = WORDPRESS_FEEDS.map(([from, to]) => ({ from: base + from, to }))
  rules.push(
    { from: `${base}/comments/feed/`, status: 410 },
    { from: `${base}/?feed=comments-rss2`, status: 410 },
  )
  for (const category of wordpressCategories(read)) {
    const slug = termSlug(category)
    if (!category.slug || !slug || !terms.categories.has(slug)) continue
    const old = category.path ?? category.slug
    rules.push(
      { from: `${base}/category/${old}/feed/`, to: `/categories/${slug}/rss.xml` },
      { from: `${base}/category/${old}/feed/atom/`, to: `/categories/${slug}/atom.xml` },
    )
    if (category.id)
      rules.push({
        from: `${base}/?cat=${category.id}&feed=rss2`,
        to: `/categories/${slug}/rss.xml`,
      })
  }
  for (const [old, slug] of terms.tags)
    rules.push(
      { from: `${base}/tag/${old}/feed/`, to: `/tags/${slug}/rss.xml` },
      { from: `${base}/tag/${old}/feed/atom/`, to: `/tags/${slug}/atom.xml` },
      { from: `${base}/?tag=${old}&feed=rss2`, to: `/tags/${slug}/rss.xml` },
    )
  // WordPress's author URLs use the user's nicename, its login made a slug.
  for (const author of read.authors) {
    const slug = slugify(author.login ?? '')
    if (!slug || !terms.authors.has(slug)) continue
    rules.push(
      { from: `${base}/author/${slug}/feed/`, to: `/authors/${slug}/rss.xml` },
      { from: `${base}/author/${slug}/feed/atom/`, to: `/authors/${slug}/atom.xml` },
    )
  }
  return rules
}

/** The old feeds' addresses: WordPress's every feed, or a feed's own URL to the same format. */
export function siteRedirects(reads: readonly SourceRead[], terms: Terms): RedirectRule[] {
  return reads.flatMap((read) => {
    if (read.wordpress) return wordpressRedirects(read, terms)
    if (!read.feed) return []
    const from = oldPath(read.feed.url, originsOf([read.feed.url]))
    const to = { rss: '/rss.xml', atom: '/atom.xml', json: '/feed.json' }[read.feed.format]
    return from ? [{ from, to }] : []
  })
}

const ruleKey = (from: string) => {
  const { path, query } = parseFrom(from)
  return `${path}?${new URLSearchParams(query)}`
}

// newswire's own addresses are never redirected, whatever the old site had there.
const OWN = /^\/(?:rss\.xml|atom\.xml|feed\.json)?$/

/** New rules go after the file's own, once each; a `from` already there is left as it is. */
export function writeRedirects(rules: RedirectRule[], existing: Existing, plan: Plan): void {
  const current = existing.files.get(REDIRECTS_FILE) ?? ''
  const listed: unknown = current ? parse(current) : []
  const taken = new Set(
    (Array.isArray(listed) ? listed : [])
      .map((rule: unknown) => (rule as { from?: unknown })?.from)
      .filter((from): from is string => typeof from === 'string')
      .map(ruleKey),
  )
  const added: RedirectRule[] = []
  for (const rule of rules) {
    const key = ruleKey(rule.from)
    if (taken.has(key) || rule.from === rule.to || OWN.test(rule.from)) continue
    taken.add(key)
    added.push(rule)
  }
  plan.report.redirects = added.length
  if (added.length === 0) return
  const header = current
    ? ''
    : '# Old addresses and where they lead now: written by `npm run migrate`, yours to edit.\n'
  // Appended as text, so that the file's own comments and layout stay as they are.
  plan.writes.set(
    REDIRECTS_FILE,
    `${current}${current && !current.endsWith('\n') ? '\n' : ''}${header}${yamlText(added)}`,
  )
}
