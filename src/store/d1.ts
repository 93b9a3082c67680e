import type { Catalog } from '../model/feeds'
import { hash64 } from '../model/hash'
import type { Article, FeedDefinition, Tag } from '../model/types'
import type {
  ArticleState,
  ArticleStore,
  FeedPage,
  FeedState,
  ItemFragment,
  ItemPage,
  ListedArticle,
  Listing,
  ProfileCandidates,
} from './types'

/** The part of Cloudflare D1's API this store uses (a D1Database satisfies it). */
export interface SqlDatabase {
  prepare(query: string): SqlStatement
  batch<T = unknown>(
    statements: SqlStatement[],
  ): Promise<{ results: T[]; meta: { changes: number } }[]>
}

export interface SqlStatement {
  bind(...values: unknown[]): SqlStatement
  first<T = Record<string, unknown>>(): Promise<T | null>
  all<T = Record<string, unknown>>(): Promise<{ results: T[] }>
  run(): Promise<{ meta: { changes: number } }>
}

const FRAGMENT_KEY = /^[a-z0-9@:-]+$/

// A fragment key goes into a query as a bound value; checked anyway, as it names stored data.
function fragmentKey(key: string): string {
  if (!FRAGMENT_KEY.test(key)) throw new Error(`not a fragment key: ${key}`)
  return key
}

/** What a slice reads beside the membership order: columns, joins and their bound values. */
interface Selection {
  columns: string
  joins?: string
  values?: unknown[]
}

const EPOCH = new Date(0).toISOString()

/** The membership rows (kind, slug) a feed reads; a curated feed reads several. */
export function feedMemberships(feed: FeedDefinition): [string, string][] {
  const { categories, tags, authors } = feed.filter
  const rows: [string, string][] = [
    ...categories.map((slug): [string, string] => ['category', slug]),
    ...tags.map((slug): [string, string] => ['tag', slug]),
    ...authors.map((slug): [string, string] => ['author', slug]),
  ]
  return rows.length > 0 ? rows : [['site', '']]
}

interface StateRow {
  kind: string
  slug: string
  revision: string
  newest: string | null
  next: string | null
  updated: string | null
  version: string | null
  appears: string | null
}

// One membership list's state at ?1 (now): its revision, and what the clock decides. Each
// subquery is one seek of an index: the newest visible article, the first still scheduled, the
// newest visible update (a scheduled article's update is its own minute, never before it);
// and the site's next scheduled minute, which caps every response's freshness alike.
const STATE_QUERY = `SELECT s.kind, s.slug, s.revision,
  (SELECT MAX(published) FROM memberships WHERE kind = s.kind AND slug = s.slug AND published <= ?1) AS newest,
  (SELECT MIN(published) FROM memberships WHERE kind = s.kind AND slug = s.slug AND published > ?1) AS next,
  (SELECT MAX(updated) FROM memberships WHERE kind = s.kind AND slug = s.slug AND updated <= ?1) AS updated,
  (SELECT value FROM meta WHERE key = 'version') AS version,
  (SELECT MIN(published) FROM scheduled WHERE published > ?1) AS appears
  FROM feed_stats s WHERE `

const NEXT_QUERY = 'SELECT MIN(published) AS next FROM scheduled WHERE published > ?'

/** What a D1Store is told beside its database. */
export interface D1StoreOptions {
  /** Milliseconds a feed's state and the catalog are reused in this isolate. */
  ttl?: number
  /** Names the deployed code and configuration (part of every ETag). */
  build?: string
}

interface Cached<T> {
  value: T
  read: number
  until: number
}

/**
 * Articles in Cloudflare D1 (see migrations/). The catalog's site, authors, categories and
 * curated feeds come from the bundled configuration; articles and tags from the database.
 * A feed's state is one query, reused in the isolate for `ttl` ms but never past the feed's
 * next scheduled minute; a write through this isolate forgets what it changed.
 */
export class D1Store implements ArticleStore {
  readonly #db: SqlDatabase
  readonly #base: Catalog
  readonly #ttl: number
  readonly #build: string
  readonly #states = new Map<string, Cached<FeedState>>()
  #catalog: (Cached<Catalog> & { version: string }) | undefined
  #appearance: Cached<number | undefined> | undefined
  #version: string | undefined

  constructor(db: SqlDatabase, base: Catalog, options: D1StoreOptions = {}) {
    this.#db = db
    this.#base = base
    this.#ttl = options.ttl ?? 1000
    this.#build = options.build ?? ''
  }

  get db(): SqlDatabase {
    return this.#db
  }

  build(): string {
    return this.#build
  }

  /** Forgets what this isolate cached, after a write through it. */
  forget(): void {
    this.#states.clear()
    this.#catalog = undefined
    this.#appearance = undefined
  }

  // The site's next scheduled minute, as the last statement that read it saw it.
  #appears(value: string | null | undefined, now: number): number | undefined {
    const next = value ? Date.parse(value) : undefined
    this.#appearance = { value: next, read: now, until: next ?? Number.POSITIVE_INFINITY }
    return next
  }

  #fresh<T>(cached: Cached<T> | undefined, now: number): cached is Cached<T> {
    return (
      cached !== undefined &&
      now - cached.read < this.#ttl &&
      now < cached.until &&
      now >= cached.read
    )
  }

  // The write counter: one cheap read tells whether the tags may have changed.
  async #readVersion(): Promise<string> {
    const row = await this.#db
      .prepare("SELECT value FROM meta WHERE key = 'version'")
      .first<{ value: string }>()
    return row?.value ?? ''
  }

  /**
   * The catalog is kept until a scheduled article's minute, or until a state query (every feed
   * and page request makes one) sees that something was written: a cache hit costs that one
   * statement and nothing more. `current` reads the write counter first, for an answer that a
   * feed does not exist.
   */
  async catalog(now: number, options: { current?: boolean } = {}): Promise<Catalog> {
    const cached = this.#catalog
    if (options.current) this.#version = await this.#readVersion()
    if (cached && now >= cached.read && now < cached.until && cached.version === this.#version)
      return cached.value
    const at = new Date(now).toISOString()
    // Tags of visible articles only: a tag first used by a scheduled story is news too.
    const [version, tags, next] = await this.#db.batch([
      this.#db.prepare("SELECT value FROM meta WHERE key = 'version'"),
      this.#db
        .prepare(
          "SELECT slug, name FROM tags t WHERE EXISTS (SELECT 1 FROM memberships m WHERE m.kind = 'tag' AND m.slug = t.slug AND m.published <= ?) ORDER BY slug",
        )
        .bind(at),
      this.#db.prepare(NEXT_QUERY).bind(at),
    ])
    const value = {
      ...this.#base,
      tags: ((tags?.results ?? []) as Tag[]).map(({ slug, name }) => ({ slug, name })),
    }
    const nextAt = (next?.results[0] as { next: string | null } | undefined)?.next
    this.#appears(nextAt, now)
    this.#version = (version?.results[0] as { value: string } | undefined)?.value ?? ''
    this.#catalog = {
      value,
      read: now,
      until: nextAt ? Date.parse(nextAt) : Number.POSITIVE_INFINITY,
      version: this.#version,
    }
    return value
  }

  async state(feed: FeedDefinition, now: number): Promise<FeedState> {
    const cached = this.#states.get(feed.path)
    if (this.#fresh(cached, now)) return cached.value
    const memberships = feedMemberships(feed)
    const where = memberships
      .map((_, i) => `(s.kind = ?${2 * i + 2} AND s.slug = ?${2 * i + 3})`)
      .join(' OR ')
    const { results } = await this.#db
      .prepare(`${STATE_QUERY}${where} ORDER BY s.kind, s.slug`)
      .bind(new Date(now).toISOString(), ...memberships.flat())
      .all<StateRow>()
    // The revision written last, and how far the clock has let the feed run: a scheduled
    // article's minute changes the newest visible one without a write.
    const revision = hash64(
      results.map((r) => `${r.kind}/${r.slug}/${r.revision}/${r.newest ?? ''}`).join('\n'),
    )
    const updated = results.reduce((max, r) => (r.updated && r.updated > max ? r.updated : max), '')
    const next = results.reduce(
      (min, r) => (r.next && Date.parse(r.next) < min ? Date.parse(r.next) : min),
      Number.POSITIVE_INFINITY,
    )
    this.#appears(results[0]?.appears, now)
    const version = results[0]?.version
    if (version !== undefined && version !== null && version !== this.#version) {
      // Another isolate wrote: the catalog (tags) may have changed too.
      this.#version = version
      this.#catalog = undefined
    }
    const value: FeedState = {
      revision,
      updated: updated || EPOCH,
      ...(Number.isFinite(next) ? { next } : {}),
    }
    this.#states.set(feed.path, { value, read: now, until: next })
    return value
  }

  /**
   * Read by the statement that answered this request's state or catalog (same instant), or
   * within the isolate's `ttl`; else one statement of its own.
   */
  async nextAppearance(now: number): Promise<number | undefined> {
    const cached = this.#appearance
    if (cached && (cached.read === now || this.#fresh(cached, now))) return cached.value
    const row = await this.#db
      .prepare(NEXT_QUERY)
      .bind(new Date(now).toISOString())
      .first<{ next: string | null }>()
    return this.#appears(row?.next, now)
  }

  async counts(feeds: readonly FeedDefinition[], now: number): Promise<Map<string, number>> {
    const at = new Date(now).toISOString()
    const [stats, hidden] = await this.#db.batch<{ kind: string; slug: string; count: number }>([
      this.#db.prepare('SELECT kind, slug, count FROM feed_stats'),
      this.#db
        .prepare(
          'SELECT m.kind, m.slug, COUNT(*) AS count FROM scheduled s JOIN memberships m ON m.id = s.id WHERE s.published > ? GROUP BY m.kind, m.slug',
        )
        .bind(at),
    ])
    const key = (kind: string, slug: string) => `${kind}\n${slug}`
    const visible = new Map<string, number>()
    for (const row of stats?.results ?? []) visible.set(key(row.kind, row.slug), row.count)
    for (const row of hidden?.results ?? [])
      visible.set(key(row.kind, row.slug), (visible.get(key(row.kind, row.slug)) ?? 0) - row.count)
    const counts = new Map<string, number>()
    for (const feed of feeds) {
      const memberships = feedMemberships(feed)
      const [kind, slug] = memberships[0] as [string, string]
      counts.set(
        feed.path,
        memberships.length === 1
          ? (visible.get(key(kind, slug)) ?? 0)
          : (await this.#slice(feed, 0, 0, now, { columns: 'a.id' })).total,
      )
    }
    return counts
  }

  async busiest(kind: 'tag' | 'author', since: number, now: number, limit: number) {
    // Each recent count is a range of one membership list's index; hidden (scheduled)
    // articles are after `now`, so neither count has them.
    const { results } = await this.#db
      .prepare(
        `SELECT slug, recent, total FROM (SELECT s.slug,
           (SELECT COUNT(*) FROM memberships m WHERE m.kind = s.kind AND m.slug = s.slug AND m.published > ?2 AND m.published <= ?3) AS recent,
           (SELECT COUNT(*) FROM memberships m WHERE m.kind = s.kind AND m.slug = s.slug AND m.published <= ?3) AS total
         FROM feed_stats s WHERE s.kind = ?1) WHERE total > 0
         ORDER BY recent DESC, total DESC, slug LIMIT ?4`,
      )
      .bind(kind, new Date(since).toISOString(), new Date(now).toISOString(), limit)
      .all<{ slug: string; recent: number; total: number }>()
    return results
  }

  // A membership list's visible articles: its kept count, less those still scheduled after `at`.
  #visibleCount(kind: string, slug: string, at: string): SqlStatement {
    return this.#db
      .prepare(
        'SELECT count - (SELECT COUNT(*) FROM memberships WHERE kind = ?1 AND slug = ?2 AND published > ?3) AS count FROM feed_stats WHERE kind = ?1 AND slug = ?2',
      )
      .bind(kind, slug, at)
  }

  // One membership list is an index range scan in feed order; a curated feed merges several.
  async #slice<Row>(
    feed: FeedDefinition,
    offset: number,
    limit: number,
    now: number,
    select: Selection,
  ): Promise<{ rows: Row[]; total: number }> {
    const at = new Date(now).toISOString()
    const memberships = feedMemberships(feed)
    const where = memberships.map(() => '(kind = ? AND slug = ?)').join(' OR ')
    const keys = memberships.flat()
    const single = memberships.length === 1
    const { columns, joins = '', values = [] } = select
    const rows = single
      ? this.#db
          .prepare(
            `SELECT ${columns} FROM memberships m JOIN articles a ON a.id = m.id ${joins}
             WHERE m.kind = ? AND m.slug = ? AND m.published <= ? ORDER BY m.published DESC, m.id DESC LIMIT ? OFFSET ?`,
          )
          .bind(...values, ...keys, at, limit, offset)
      : this.#db
          .prepare(
            `SELECT ${columns} FROM articles a ${joins} WHERE a.published <= ? AND a.id IN (SELECT id FROM memberships WHERE ${where})
             ORDER BY a.published DESC, a.id DESC LIMIT ? OFFSET ?`,
          )
          .bind(...values, at, ...keys, limit, offset)
    const total = single
      ? this.#visibleCount(keys[0] as string, keys[1] as string, at)
      : this.#db
          .prepare(
            `SELECT COUNT(DISTINCT id) AS count FROM memberships WHERE published <= ? AND (${where})`,
          )
          .bind(at, ...keys)
    const [found, counted] = await this.#db.batch([rows, total])
    const count = (counted?.results[0] as { count?: number } | undefined)?.count ?? 0
    return { rows: (found?.results ?? []) as Row[], total: count }
  }

  async page(feed: FeedDefinition, offset: number, limit: number, now: number): Promise<FeedPage> {
    const { rows, total } = await this.#slice<{ article: string }>(feed, offset, limit, now, {
      columns: 'a.article',
    })
    return { articles: rows.map((row) => JSON.parse(row.article) as Article), total }
  }

  /**
   * One batch: a range of the `articles_newest` index (published, id) in the site feed's order,
   * with three short columns of each row (they precede the article, whose overflow pages stay
   * unread), and the site's count.
   */
  async listing(offset: number, limit: number, now: number): Promise<Listing> {
    const at = new Date(now).toISOString()
    const [found, counted] = await this.#db.batch([
      this.#db
        .prepare(
          'SELECT id, slug, published, updated FROM articles WHERE published <= ? ORDER BY published DESC, id DESC LIMIT ? OFFSET ?',
        )
        .bind(at, limit, offset),
      this.#visibleCount('site', '', at),
    ])
    return {
      articles: (found?.results ?? []) as ListedArticle[],
      total: (counted?.results[0] as { count?: number } | undefined)?.count ?? 0,
    }
  }

  async items(
    feed: FeedDefinition,
    offset: number,
    limit: number,
    key: string,
    now: number,
  ): Promise<ItemPage> {
    // Only the fragment the feed sends crosses from the database.
    const { rows, total } = await this.#slice<Record<string, string | null>>(
      feed,
      offset,
      limit,
      now,
      {
        columns: 'a.id, a.published, f.body AS fragment',
        joins: 'LEFT JOIN fragments f ON f.id = a.id AND f.key = ?',
        values: [fragmentKey(key)],
      },
    )
    return { items: rows.map((row) => toItem(row, key)), total }
  }

  async candidates(
    feed: FeedDefinition,
    keys: { item: string; violations: string },
    limit: number,
    now: number,
  ): Promise<ProfileCandidates> {
    // What the rules read, without the items: the byte length is counted in the database.
    const { rows } = await this.#slice<Record<string, string | number | null>>(
      feed,
      0,
      limit,
      now,
      {
        columns: 'a.id, a.published, length(CAST(fi.body AS BLOB)) AS bytes, fv.body AS violations',
        joins:
          'LEFT JOIN fragments fi ON fi.id = a.id AND fi.key = ? LEFT JOIN fragments fv ON fv.id = a.id AND fv.key = ?',
        values: [fragmentKey(keys.item), fragmentKey(keys.violations)],
      },
    )
    // An article stored before this profile was configured has not been checked against it
    // (a database written by an older build): it stays out until it is published again.
    const checked = rows.filter((row) => row.bytes !== null && typeof row.violations === 'string')
    return {
      candidates: checked.map((row) => ({
        id: row.id as string,
        published: row.published as string,
        bytes: row.bytes as number,
        violations: row.violations as string,
      })),
      unchecked: rows.filter((row) => !checked.includes(row)).map((row) => row.id as string),
      read: async (chosen) => {
        const ids = chosen.map((i) => checked[i]?.id as string)
        const found = new Map<string, ItemFragment>()
        for (let start = 0; start < ids.length; start += 90) {
          const part = ids.slice(start, start + 90)
          const { results } = await this.#db
            .prepare(
              `SELECT a.id, a.published, f.body AS fragment FROM articles a JOIN fragments f ON f.id = a.id AND f.key = ? WHERE a.id IN (${part.map(() => '?').join(', ')})`,
            )
            .bind(fragmentKey(keys.item), ...part)
            .all<Record<string, string | null>>()
          for (const row of results) found.set(row.id as string, toItem(row, keys.item))
        }
        return ids.map((id) => found.get(id) as ItemFragment)
      },
    }
  }

  async article(slug: string, now: number): Promise<ArticleState | undefined> {
    const row = await this.#db
      .prepare('SELECT id, etag, published, updated FROM articles WHERE slug = ?')
      .bind(slug)
      .first<{ id: string; etag: string; published: string; updated: string }>()
    if (!row || Date.parse(row.published) > now) return undefined
    return {
      revision: row.etag,
      updated: row.updated,
      read: async () => {
        const found = await this.#db
          .prepare('SELECT article FROM articles WHERE id = ?')
          .bind(row.id)
          .first<{ article: string }>()
        if (!found) throw new Error(`article ${slug} was deleted while it was read`)
        return JSON.parse(found.article) as Article
      },
    }
  }

  /**
   * Scheduled articles whose minute has come by `to`, each claimed once: the claim deletes its
   * row in the same statement that reads it, so two runs of the trigger never both take it.
   */
  async appeared(_from: number, to: number): Promise<Article[]> {
    const { results } = await this.#db
      .prepare('DELETE FROM scheduled WHERE published <= ? RETURNING id')
      .bind(new Date(to).toISOString())
      .all<{ id: string }>()
    const articles: Article[] = []
    for (let start = 0; start < results.length; start += 90) {
      const part = results.slice(start, start + 90).map((r) => r.id)
      const found = await this.#db
        .prepare(`SELECT article FROM articles WHERE id IN (${part.map(() => '?').join(', ')})`)
        .bind(...part)
        .all<{ article: string }>()
      articles.push(...found.results.map((r) => JSON.parse(r.article) as Article))
    }
    return articles
  }
}

function toItem(row: Record<string, string | null>, key: string): ItemFragment {
  const fragment = row.fragment
  if (typeof fragment !== 'string') throw new Error(`article ${row.id} has no ${key} fragment`)
  return { id: row.id as string, published: row.published as string, fragment }
}
