import * as v from 'valibot'
import { parseFrom, type Redirect, type RedirectStatus } from '../model/redirects'
import type { ArticleContext } from './article'
import type { Problems } from './problems'
import { validate } from './schema'

export const REDIRECTS_FILE = 'content/redirects.yaml'

/** `content/redirects.yaml`: a list of rules. */
export const RedirectsSchema = v.array(
  v.strictObject({
    from: v.pipe(
      v.string('must be a path'),
      v.check(
        (value) => value.startsWith('/') && !value.startsWith('//'),
        'must be a path starting with /',
      ),
      v.check((value) => !value.includes('#'), 'must not have a fragment: browsers never send one'),
      v.maxLength(2000, 'must be at most 2,000 characters'),
    ),
    to: v.optional(
      v.pipe(v.string('must be a path or a URL'), v.trim(), v.nonEmpty('must not be empty')),
    ),
    status: v.optional(
      v.picklist([301, 302, 307, 308, 410], 'must be 301, 302, 307, 308 (moved) or 410 (gone)'),
      301,
    ),
    external: v.optional(v.boolean('must be true or false'), false),
  }),
  'must be a list of redirects (from, to, status)',
)

/** What exists on the site for a rule to point at. */
export interface Targets {
  articles: ReadonlySet<string>
  curated: ReadonlySet<string>
}

const FEED_FILE = /^(?:rss\.xml|atom\.xml|feed\.json)$/

/**
 * Whether a path names something newswire serves (`undefined`), or why not. Paths outside its
 * URL map (`/about/`) are refused too: no rule may send a reader to a page that answers 404.
 */
function targetProblem(
  path: string,
  context: ArticleContext,
  targets: Targets,
): string | undefined {
  const parts = path.split('?')[0]?.split('/').slice(1) ?? []
  if (parts.at(-1) === '') parts.pop()
  const decoded = parts.map((part) => {
    try {
      return decodeURIComponent(part)
    } catch {
      return part
    }
  })
  const [first, slug, file, ...rest] = decoded
  if (rest.length > 0) return 'is not an address newswire serves'
  if (decoded.length === 0) return undefined
  if (decoded.length === 1)
    return FEED_FILE.test(first as string) ||
      [
        'feeds.opml',
        'tags.opml',
        'tags',
        'authors',
        'stats',
        'sitemap.xml',
        'news-sitemap.xml',
        'robots.txt',
      ].includes(first as string)
      ? undefined
      : 'is not an address newswire serves'
  if (file !== undefined && !FEED_FILE.test(file)) return 'is not an address newswire serves'
  const known: Record<string, (slug: string) => boolean> = {
    articles: (s) => file === undefined && targets.articles.has(s),
    categories: (s) => context.categories.has(s),
    authors: (s) => context.authors.has(s),
    tags: (s) => context.tags.has(s),
    feeds: (s) => targets.curated.has(s),
  }
  const exists = known[first as string]
  if (!exists) return 'is not an address newswire serves'
  return exists(slug as string) ? undefined : `names ${first}/${slug}, which does not exist`
}

const key = (from: string) => {
  const { path, query } = parseFrom(from)
  return `${path}?${new URLSearchParams(query)}`
}

/**
 * The rules of content/redirects.yaml, checked: each `from` once, targets that exist (a path
 * on this site; another site only when marked `external`), no rule pointing at another rule's
 * `from` (a chain, or a loop), no rule hiding one of newswire's own addresses.
 */
export function loadRedirects(
  data: unknown,
  context: ArticleContext,
  targets: Targets,
  problems: Problems,
): Redirect[] {
  const file = REDIRECTS_FILE
  const rules = problems.take(validate(RedirectsSchema, data ?? [], file))
  if (!rules) return []
  const site = new URL(context.base)
  const redirects: Redirect[] = []
  const seen = new Map<string, number>()
  rules.forEach((rule, index) => {
    const where = (field: string) => `${index}.${field}`
    const from = key(rule.from)
    const earlier = seen.get(from)
    if (earlier !== undefined)
      problems.add(file, where('from'), `repeats the "from" of redirect ${earlier}`)
    seen.set(from, index)
    if (!rule.from.includes('?') && targetProblem(rule.from, context, targets) === undefined)
      problems.add(
        file,
        where('from'),
        `is newswire's own address ${rule.from}: a redirect would hide it`,
      )
    if (rule.status === 410) {
      if (rule.to !== undefined)
        problems.add(file, where('to'), 'must be left out: 410 says the page is gone')
      redirects.push({ from: rule.from, status: 410 })
      return
    }
    if (rule.to === undefined) {
      problems.add(file, where('to'), `is required for status ${rule.status}`)
      return
    }
    let to = rule.to
    if (/^[a-z][a-z0-9+.-]*:/i.test(to)) {
      let url: URL
      try {
        url = new URL(to)
      } catch {
        problems.add(file, where('to'), `is not a URL: ${JSON.stringify(to)}`)
        return
      }
      if (url.origin === site.origin) to = url.pathname + url.search
      else if (!rule.external) {
        problems.add(
          file,
          where('to'),
          `points to another site (${url.origin}); add "external: true" if that is meant`,
        )
        return
      } else if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        problems.add(file, where('to'), 'must be an http(s) URL')
        return
      }
    } else if (!to.startsWith('/') || to.startsWith('//')) {
      problems.add(file, where('to'), 'must be a path starting with / or an absolute URL')
      return
    }
    if (to.startsWith('/')) {
      const problem = targetProblem(to, context, targets)
      if (problem) problems.add(file, where('to'), `${to} ${problem}`)
    }
    redirects.push({ from: rule.from, to, status: rule.status as RedirectStatus })
  })
  // A rule whose target is itself a rule's "from": readers would follow two hops, or forever.
  redirects.forEach((redirect) => {
    if (redirect.to?.startsWith('/') && seen.has(key(redirect.to))) {
      const index = rules.findIndex((rule) => rule.from === redirect.from)
      problems.add(
        file,
        `${index}.to`,
        `leads to redirect ${seen.get(key(redirect.to))} (${redirect.to}): point it at the final address, no chains or loops`,
      )
    }
  })
  return redirects
}
