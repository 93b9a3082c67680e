import type { MiddlewareHandler } from 'hono'
import { redirectTable } from '../model/redirects'
import type { AppEnv } from './context'

/** How long a reader or cache may keep a redirect or a 410 (RFC 9111 §4.2: explicit freshness). */
const REDIRECT_MAX_AGE = 86_400

/**
 * content/redirects.yaml's rules, before every route (so that `/?feed=rss2` is not the index
 * page): 301 (or the rule's status) with an absolute `Location`, or 410 Gone. Feed readers
 * follow a permanent redirect and update the subscription (RSS Best Practices Profile §3).
 * Cacheable like any 301; the request's query is not carried over.
 */
export function followRedirects(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const redirects = (await c.get('store').catalog(c.get('now'))).redirects
    if (redirects && redirects.length > 0) {
      const url = new URL(c.req.url)
      const rule = redirectTable(redirects).match(url.pathname, url.searchParams)
      if (rule) {
        const headers: Record<string, string> = {
          'content-type': 'text/plain; charset=utf-8',
          'cache-control': `public, max-age=${REDIRECT_MAX_AGE}`,
        }
        if (rule.status === 410 || rule.to === undefined)
          return new Response('gone: this address was retired and has no replacement\n', {
            status: 410,
            headers,
          })
        const location = new URL(rule.to, url.origin).href
        return new Response(`moved to ${location}\n`, {
          status: rule.status,
          headers: { ...headers, location },
        })
      }
    }
    await next()
  }
}
