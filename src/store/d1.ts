import type { Catalog } from '../model/feeds'
import type { Article, FeedDefinition, Tag } from '../model/types'
import type { ArticleStore, FeedPage, ItemPage, StoredArticle } from './types'

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

export interface ArticleRow {
  article: string
  rss: string
  atom: string
  json: string
  extra: string
}

const ARTICLE_COLUMNS = 'a.article, a.rss, a.atom, a.json, a.extra'

// The standard formats' fragments have a column each; every other fragment (aggregator
// profiles) is a key of the JSON column `extra`.
const FRAGMENT_COLUMNS: Readonly<Record<string, string>> = {
  rss: 'a.rss',
  atom: 'a.atom',
  json: 'a.json',
}
const FRAGMENT_KEY = /^[a-z0-9@:-]+$/

function fragmentColumn(key: string, index: number): string {
  if (!FRAGMENT_KEY.test(key)) throw new Error(`not a fragment key: ${key}`)
  return `${FRAGMENT_COLUMNS[key] ?? `json_extract(a.extra, '$."${key}"')`} AS f${index}`
}

const EPOCH = '1970-01-01T00:00:00.000Z'

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

/** A stored article from its row: the model, the standard fragments and the `extra` ones. */
export function toStored(row: ArticleRow): StoredArticle {
  return {
    ...(JSON.parse(row.article) as Article),
    fragments: { ...JSON.parse(row.extra), rss: row.rss, atom: row.atom, json: row.json },
  }
}

/**
 * Articles in Cloudflare D1 (see migrations/). The catalog's site, authors, categories and
 * curated feeds come from the bundled configuration; articles, tags and the content version
 * from the database. The version is read at most once per `versionTtl` ms per isolate, and a
 * write through this isolate makes the next request read it again. `build` names the deployed
 * code and configuration, which shape every document as much as the articles do.
 */
export class D1Store implements ArticleStore {
  readonly #db: SqlDatabase
  readonly #base: Catalog
  readonly #versionTtl: number
  readonly #build: string
  #version: { value: string; read: number } | undefined
  #catalog: { version: string; catalog: Catalog } | undefined

  constructor(
    db: SqlDatabase,
    base: Catalog,
    options: { versionTtl?: number; build?: string } = {},
  ) {
    this.#db = db
    this.#base = base
    this.#versionTtl = options.versionTtl ?? 1000
    this.#build = options.build ?? ''
  }

  get db(): SqlDatabase {
    return this.#db
  }

  async version(): Promise<string> {
    const now = Date.now()
    if (this.#version && now - this.#version.read < this.#versionTtl) return this.#version.value
    const row = await this.#db
      .prepare("SELECT value FROM meta WHERE key = 'version'")
      .first<{ value: string }>()
    const value = `d1-${this.#build}-${row?.value ?? 'empty'}`
    this.#version = { value, read: now }
    return value
  }

  /** Forgets the cached version, after a write through this isolate changed it. */
  forgetVersion(): void {
    this.#version = undefined
  }

  async catalog(): Promise<Catalog> {
    const version = await this.version()
    if (this.#catalog?.version === version) return this.#catalog.catalog
    const { results } = await this.#db
      .prepare('SELECT slug, name FROM tags ORDER BY slug')
      .all<Tag>()
    const catalog = { ...this.#base, tags: results.map(({ slug, name }) => ({ slug, name })) }
    this.#catalog = { version, catalog }
    return catalog
  }

  // One membership list is an index range scan in feed order; a curated feed merges several.
  async #slice<Row>(
    feed: FeedDefinition,
    offset: number,
    limit: number,
    columns: string,
  ): Promise<{ rows: Row[]; total: number; updated: string }> {
    const memberships = feedMemberships(feed)
    const where = memberships.map(() => '(kind = ? AND slug = ?)').join(' OR ')
    const keys = memberships.flat()
    const single = memberships.length === 1
    const rows = single
      ? this.#db
          .prepare(
            `SELECT ${columns} FROM memberships m JOIN articles a ON a.id = m.id
             WHERE m.kind = ? AND m.slug = ? ORDER BY m.published DESC, m.id DESC LIMIT ? OFFSET ?`,
          )
          .bind(...keys, limit, offset)
      : this.#db
          .prepare(
            `SELECT ${columns} FROM articles a WHERE a.id IN (SELECT id FROM memberships WHERE ${where})
             ORDER BY a.published DESC, a.id DESC LIMIT ? OFFSET ?`,
          )
          .bind(...keys, limit, offset)
    const stats = single
      ? this.#db
          .prepare('SELECT count, updated FROM feed_stats WHERE kind = ? AND slug = ?')
          .bind(...keys)
      : this.#db
          .prepare(
            `SELECT COUNT(DISTINCT id) AS count, MAX(updated) AS updated FROM memberships WHERE ${where}`,
          )
          .bind(...keys)
    const site = this.#db.prepare(
      "SELECT updated FROM feed_stats WHERE kind = 'site' AND slug = ''",
    )
    const [found, counts, newest] = await this.#db.batch([rows, stats, site])
    const stat = (counts?.results[0] ?? {}) as { count?: number; updated?: string | null }
    const siteUpdated = (newest?.results[0] as { updated?: string } | undefined)?.updated || EPOCH
    return {
      rows: (found?.results ?? []) as Row[],
      total: stat.count ?? 0,
      updated: stat.count ? (stat.updated as string) : siteUpdated,
    }
  }

  async page(feed: FeedDefinition, offset: number, limit: number): Promise<FeedPage> {
    const { rows, ...rest } = await this.#slice<ArticleRow>(feed, offset, limit, ARTICLE_COLUMNS)
    return { articles: rows.map(toStored), ...rest }
  }

  async items(
    feed: FeedDefinition,
    offset: number,
    limit: number,
    keys: readonly string[],
  ): Promise<ItemPage> {
    // Only the fragments the feed needs cross from the database: ~7 KB a row, not ~28.
    const columns = ['a.id', 'a.published', ...keys.map(fragmentColumn)].join(', ')
    const { rows, ...rest } = await this.#slice<Record<string, string | null>>(
      feed,
      offset,
      limit,
      columns,
    )
    const items = rows.map((row) => {
      const fragments: Record<string, string> = {}
      keys.forEach((key, index) => {
        const value = row[`f${index}`]
        if (typeof value === 'string') fragments[key] = value
      })
      return { id: row.id as string, published: row.published as string, fragments }
    })
    return { items, ...rest }
  }

  async article(slug: string): Promise<StoredArticle | undefined> {
    const row = await this.#db
      .prepare(`SELECT ${ARTICLE_COLUMNS} FROM articles a WHERE a.slug = ?`)
      .bind(slug)
      .first<ArticleRow>()
    return row ? toStored(row) : undefined
  }
}
