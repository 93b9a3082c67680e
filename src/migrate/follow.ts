/**
 * Which addresses a migration may read besides the sources it was given: a feed's next page and
 * a redirect stay on the source's host (or a host `--follow-hosts` names) and on http(s). A
 * local file's relative next link is a file beside it; any other `file:` link, and a local
 * file's link to a web address, is another origin and is not followed.
 */

/** The hosts a migration may read from besides each source's own; `any` for all. */
export type FollowHosts = ReadonlySet<string> | 'any'

/** An address to read next, or why it is not read. */
export type Followed = { url: string } | { refused: string }

// A relative link in a local file resolves against this root: the file's own folder, which a
// `../` cannot leave (URL parsing stops at the root, WHATWG URL §4.4 path state).
const LOCAL = 'file:///'

const SCHEME = /^[a-z][a-z0-9+.-]*:/i

/** The base a source's relative links resolve against: its URL, or its folder's root. */
export function baseOf(source: string): string {
  return /^https?:\/\//i.test(source) ? source : LOCAL
}

/** The file beside a local source that a `file:///` address resolved by baseOf names. */
export function localPath(url: string): string | undefined {
  return url.startsWith(LOCAL) ? decodeURIComponent(url.slice(LOCAL.length)) : undefined
}

/**
 * The address `href` (a link on the page at `page`, of the source given as `source`) leads to,
 * when the rules allow reading it.
 */
export function followLink(
  href: string,
  page: string,
  source: string,
  hosts: FollowHosts,
): Followed {
  const local = baseOf(source) === LOCAL
  const scheme = SCHEME.exec(href)?.[0].toLowerCase()
  if (scheme && scheme !== 'http:' && scheme !== 'https:')
    return { refused: `${href} is not followed: only http(s) links are read, not ${scheme}` }
  let url: URL
  try {
    url = new URL(href, /^(?:https?|file):/i.test(page) ? page : LOCAL)
  } catch {
    return { refused: `${href} is not followed: it is not a URL` }
  }
  const allowed = hosts === 'any' || hosts.has(url.host) || hosts.has(url.hostname)
  if (url.protocol === 'file:') return { url: url.href }
  if (local)
    return allowed
      ? { url: url.href }
      : {
          refused: `${url.href} is not followed: the source is a local file and this is another origin (--follow-hosts ${url.host} reads it)`,
        }
  const own = new URL(source).host
  if (url.host === own || allowed) return { url: url.href }
  return {
    refused: `${url.href} is not followed: ${url.host} is another host than ${own} (--follow-hosts ${url.host} reads it)`,
  }
}
