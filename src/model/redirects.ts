/**
 * Old addresses that keep working: `content/redirects.yaml`, as `npm run migrate` writes it and
 * editors amend it. A request whose path (and the query parameters a rule names) match a rule
 * is answered before any route: 301 to the new address, or 410 for what is gone for good.
 */

export type RedirectStatus = 301 | 302 | 307 | 308 | 410

export interface Redirect {
  /** A path, with the query parameters that must be present (`/?feed=rss2`). */
  from: string
  /** A path on this site, or (written by hand, `external`) an absolute URL; absent for 410. */
  to?: string
  status: RedirectStatus
}

/**
 * A path as rules and requests are compared: percent-escapes decoded (WordPress links encode
 * non-ASCII slugs, browsers may not) and a trailing slash dropped (`/feed` is `/feed/`).
 */
export function normalPath(path: string): string {
  let decoded = path
  try {
    decoded = decodeURIComponent(path)
  } catch {
    // A malformed escape stays as it is: it can only match a rule written the same way.
  }
  return decoded.length > 1 && decoded.endsWith('/') ? decoded.slice(0, -1) : decoded
}

/** A rule's `from` split into its normal path and its query parameters. */
export function parseFrom(from: string): { path: string; query: [string, string][] } {
  const at = from.indexOf('?')
  const path = at === -1 ? from : from.slice(0, at)
  const query = at === -1 ? [] : [...new URLSearchParams(from.slice(at + 1))]
  return { path: normalPath(path), query: query.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) }
}

/** The rules by path; for one path, those naming more parameters first. */
export class RedirectTable {
  readonly #byPath = new Map<string, { query: [string, string][]; redirect: Redirect }[]>()

  constructor(redirects: readonly Redirect[]) {
    for (const redirect of redirects) {
      const { path, query } = parseFrom(redirect.from)
      const rules = this.#byPath.get(path) ?? []
      rules.push({ query, redirect })
      rules.sort((a, b) => b.query.length - a.query.length)
      this.#byPath.set(path, rules)
    }
  }

  get size(): number {
    return this.#byPath.size
  }

  /** The rule a request matches: its path, and every parameter the rule names with its value. */
  match(pathname: string, params: URLSearchParams): Redirect | undefined {
    const rules = this.#byPath.get(normalPath(pathname))
    return rules?.find(({ query }) =>
      query.every(([name, value]) => params.getAll(name).includes(value)),
    )?.redirect
  }
}

const tables = new WeakMap<readonly Redirect[], RedirectTable>()

/** The table of a catalog's rules, built once per list. */
export function redirectTable(redirects: readonly Redirect[]): RedirectTable {
  let table = tables.get(redirects)
  if (!table) {
    table = new RedirectTable(redirects)
    tables.set(redirects, table)
  }
  return table
}
