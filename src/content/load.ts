import type { Redirect } from '../model/redirects'
import { slugify, slugProblem } from '../model/slug'
import type { Article, Author, Category, FeedDefinition, Site, Tag } from '../model/types'
import { absoluteUrl } from '../model/url'
import { defineProfile, PROFILES } from '../profiles/rules'
import { type ArticleContext, type ArticleSource, assembleArticle, lookUp } from './article'
import { ContentError } from './errors'
import { decodeText, parseFrontMatter, parseYamlText } from './parse'
import { absolute, detach, optional, Problems } from './problems'
import { loadRedirects, REDIRECTS_FILE } from './redirects'
import {
  AuthorSchema,
  CategoriesSchema,
  FeedDefinitionSchema,
  FrontMatterSchema,
  SiteSchema,
  validate,
} from './schema'

/** The source files, keyed by path from the project root (`content/site.yaml`, `feeds/x.yaml`). */
export type ContentFiles = ReadonlyMap<string, Uint8Array>

/** Everything newswire publishes, validated and cross-checked. Articles are newest first. */
export interface Content {
  site: Site
  authors: Author[]
  categories: Category[]
  tags: Tag[]
  articles: Article[]
  curated: FeedDefinition[]
  /** content/redirects.yaml: old addresses and where they lead now. */
  redirects: Redirect[]
}

const PLACEHOLDER_SITE = 'https://site.invalid'

function stem(path: string): string {
  return (path.split('/').pop() ?? path).replace(/\.[^.]+$/, '')
}

function filesUnder(files: ContentFiles, folder: string, extension: string): string[] {
  return [...files.keys()]
    .filter((path) => path.startsWith(folder) && path.endsWith(extension))
    .sort()
}

function readYaml(files: ContentFiles, file: string, problems: Problems): unknown {
  const bytes = files.get(file)
  if (!bytes) return problems.add(file, '(file)', 'is missing')
  const text = problems.take(decodeText(file, bytes))
  return text === undefined ? undefined : problems.take(parseYamlText(file, text))
}

/** Choices made by whoever runs the build rather than by the content. */
export interface LoadOptions {
  /** Replaces `url` of site.yaml (the `SITE_URL` variable), e.g. for a deployment. */
  siteUrl?: string
  /** The build's clock (ms): articles published after it are scheduled. */
  now: number
}

function loadSite(files: ContentFiles, options: LoadOptions, problems: Problems): Site | undefined {
  const file = 'content/site.yaml'
  const data = readYaml(files, file, problems)
  if (data === undefined) return undefined
  const override =
    options.siteUrl && typeof data === 'object' && data ? { ...data, url: options.siteUrl } : data
  const input = problems.take(validate(SiteSchema, override, file))
  if (!input) return undefined
  // One spelling of the origin (lowercase host, no default port) for every URL built on it.
  const url = absoluteUrl(input.url).replace(/\/+$/, '')
  if (input.default_items > input.max_items) {
    problems.add(file, 'default_items', `must not exceed max_items (${input.max_items})`)
  }
  return {
    title: input.title,
    description: input.description,
    url,
    language: input.language,
    copyright: input.copyright,
    ...optional('logo', absolute(input.logo, url)),
    ...optional('icon', absolute(input.icon, url)),
    ...optional('favicon', absolute(input.favicon, url)),
    defaultItems: input.default_items,
    maxItems: input.max_items,
    maxAge: input.cache.max_age ?? 300,
    staleWhileRevalidate: input.cache.stale_while_revalidate ?? 600,
    staleIfError: input.cache.stale_if_error ?? 86400,
    ...optional('hub', input.websub_hub),
    ...optional('cover', absolute(input.cover, url)),
    ...optional('accentColor', input.accent_color?.toLowerCase()),
    ...optional(
      'federation',
      input.federation && {
        objectType: input.federation.object_type,
        blocked: input.federation.blocked,
      },
    ),
  }
}

function loadAuthors(files: ContentFiles, base: string, problems: Problems): Map<string, Author> {
  const authors = new Map<string, Author>()
  for (const file of filesUnder(files, 'content/authors/', '.yaml')) {
    const slug = stem(file)
    if (slugify(slug) !== slug)
      problems.add(file, '(file name)', 'must be the author slug (lowercase words joined by "-")')
    const data = readYaml(files, file, problems)
    const input = data === undefined ? undefined : problems.take(validate(AuthorSchema, data, file))
    if (!input) continue
    authors.set(slug, {
      slug,
      name: input.name,
      ...optional('role', input.role || undefined),
      ...optional('bio', input.bio || undefined),
      url: absolute(input.url, base) ?? `${base}/authors/${encodeURIComponent(slug)}/`,
      ...optional('avatar', absolute(input.avatar, base)),
      profiles: input.profiles,
    })
  }
  return authors
}

function loadCategories(files: ContentFiles, problems: Problems): Map<string, Category> {
  const file = 'content/categories.yaml'
  const categories = new Map<string, Category>()
  const data = readYaml(files, file, problems)
  const input =
    data === undefined ? undefined : problems.take(validate(CategoriesSchema, data, file))
  input?.forEach((category, index) => {
    if (categories.has(category.slug))
      problems.add(file, `${index}.slug`, `duplicates the category "${category.slug}"`)
    else categories.set(category.slug, category)
  })
  return categories
}

/** An article file's source: decoded, front matter validated, slug checked; or undefined. */
export function articleSource(
  file: string,
  bytes: Uint8Array,
  problems: Problems,
): ArticleSource | undefined {
  const text = problems.take(decodeText(file, bytes))
  const parsed = text === undefined ? undefined : problems.take(parseFrontMatter(file, text))
  if (!parsed) return undefined
  const front = problems.take(validate(FrontMatterSchema, parsed.data, file))
  if (!front) return undefined
  const slug = front.slug ?? stem(file)
  const problem = front.slug === undefined ? slugProblem(slug) : undefined
  if (problem)
    problems.add(
      file,
      'slug',
      `is missing and the file name "${stem(file)}" is not a slug: it ${problem}`,
    )
  return { file, front, slug, body: parsed.body, format: 'markdown' }
}

/** The ids and slugs seen so far: each names one article. */
export class Identities {
  readonly #byId = new Map<string, string>()
  readonly #bySlug = new Map<string, string>()

  /** The slugs noted so far. */
  slugs(): ReadonlySet<string> {
    return new Set(this.#bySlug.keys())
  }

  /** Notes an article's id and slug, reporting any another file has already taken. */
  note(file: string, id: string, slug: string, problems: Problems): void {
    const sameId = this.#byId.get(id)
    const sameSlug = this.#bySlug.get(slug)
    if (sameId) problems.add(file, 'id', `duplicates the id of ${sameId}`)
    if (sameSlug) problems.add(file, 'slug', `duplicates the slug of ${sameSlug}`)
    this.#byId.set(detach(id), file)
    this.#bySlug.set(detach(slug), file)
  }

  get size(): number {
    return this.#byId.size
  }
}

// Newest first; equal dates by id, descending, the order a backward index scan gives in D1.
function newestFirst(a: Article, b: Article): number {
  if (a.published !== b.published) return a.published < b.published ? 1 : -1
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0
}

/** The article files of a content tree, in the order they are read (tags take their first spelling). */
export function articleFiles(paths: Iterable<string>): string[] {
  return [...paths]
    .filter((path) => path.startsWith('content/articles/') && path.endsWith('.md'))
    .sort()
}

function loadArticles(files: ContentFiles, context: ArticleContext): Article[] {
  const articles: Article[] = []
  const identities = new Identities()
  for (const file of articleFiles(files.keys())) {
    const source = articleSource(file, files.get(file) as Uint8Array, context.problems)
    const article = source && assembleArticle(source, context)
    if (!article) continue
    identities.note(file, article.id, article.slug, context.problems)
    articles.push(article)
  }
  return articles.sort(newestFirst)
}

/** The most categories, tags and authors one curated feed may select by, together. */
export const MAX_SELECTORS = 40

/** The feeds of feeds/: curated and aggregator feeds, checked against the articles' tags. */
export function loadCurated(
  files: ContentFiles,
  context: ArticleContext,
  maxItems: number,
): FeedDefinition[] {
  const feeds: FeedDefinition[] = []
  for (const file of filesUnder(files, 'feeds/', '.yaml')) {
    const name = stem(file)
    if (slugify(name) !== name)
      context.problems.add(
        file,
        '(file name)',
        'must be the feed name (lowercase words joined by "-")',
      )
    const data = readYaml(files, file, context.problems)
    const input =
      data === undefined
        ? undefined
        : context.problems.take(validate(FeedDefinitionSchema, data, file))
    if (!input) continue
    lookUp(context.categories, input.categories, file, 'categories', 'category', context.problems)
    lookUp(context.authors, input.authors, file, 'authors', 'author', context.problems)
    const tags = input.tags.map(slugify)
    tags.forEach((slug, index) => {
      if (!context.tags.has(slug))
        context.problems.add(
          file,
          `tags.${index}`,
          `names a tag no article has: ${JSON.stringify(input.tags[index])}`,
        )
    })
    // An aggregator profile may take the whole site; a curated feed must choose.
    if (!input.profile && input.categories.length + tags.length + input.authors.length === 0) {
      context.problems.add(
        file,
        '(root)',
        'must select articles by at least one of categories, tags or authors',
      )
    }
    // Each selector is two bound parameters of one D1 query, which takes at most 100.
    const selectors = input.categories.length + tags.length + input.authors.length
    if (selectors > MAX_SELECTORS) {
      context.problems.add(
        file,
        '(root)',
        `selects by ${selectors} categories, tags and authors; at most ${MAX_SELECTORS} are allowed`,
      )
    }
    if (input.rules && !input.profile)
      context.problems.add(file, 'rules', 'applies only to a feed with a profile')
    const aggregator = input.profile ? PROFILES[input.profile] : undefined
    const profile = aggregator && defineProfile(aggregator, name, input.rules)
    const cap = Math.min(input.limit ?? maxItems, maxItems, profile?.maxItems ?? maxItems)
    feeds.push({
      path: `feeds/${name}`,
      kind: 'curated',
      name: input.title,
      title: input.title,
      description: input.description,
      filter: { categories: input.categories, tags, authors: input.authors },
      maxItems: cap,
      ...optional('profile', profile),
    })
  }
  return feeds
}

/** Site, authors and categories, and the context in which articles are loaded against them. */
export interface ContentBase {
  /** Undefined when site.yaml is not valid (the rest is checked against a placeholder origin). */
  site: Site | undefined
  context: ArticleContext
}

/** Loads site.yaml, the authors and the categories; problems go to the context. */
export function loadBase(files: ContentFiles, options: LoadOptions): ContentBase {
  const problems = new Problems()
  const site = loadSite(files, options, problems)
  const base = site?.url ?? PLACEHOLDER_SITE
  return {
    site,
    context: {
      base,
      authors: loadAuthors(files, base, problems),
      categories: loadCategories(files, problems),
      tags: new Map(),
      problems,
      now: options.now,
    },
  }
}

/** content/redirects.yaml (optional), checked against what the site holds. */
export function loadRedirectsFile(
  files: ContentFiles,
  context: ArticleContext,
  slugs: ReadonlySet<string>,
  curated: readonly FeedDefinition[],
): Redirect[] {
  if (!files.has(REDIRECTS_FILE)) return []
  const data = readYaml(files, REDIRECTS_FILE, context.problems)
  const names = new Set(curated.map((feed) => feed.path.slice('feeds/'.length)))
  return loadRedirects(data, context, { articles: slugs, curated: names }, context.problems)
}

/** The tags the context has seen, by slug. */
export function sortedTags(context: ArticleContext): Tag[] {
  return [...context.tags.values()].sort((a, b) => (a.slug < b.slug ? -1 : 1))
}

/** Loads, validates and cross-checks all content; throws a ContentError listing every problem. */
export function loadContent(files: ContentFiles, options: LoadOptions): Content {
  const { site, context } = loadBase(files, options)
  const articles = loadArticles(files, context)
  const curated = loadCurated(files, context, site?.maxItems ?? 1)
  const slugs = new Set(articles.map((article) => article.slug))
  const redirects = loadRedirectsFile(files, context, slugs, curated)
  const { problems } = context
  if (problems.list.length > 0 || !site) throw new ContentError(problems.list)
  return {
    site,
    authors: [...context.authors.values()],
    categories: [...context.categories.values()],
    tags: sortedTags(context),
    articles,
    curated,
    redirects,
  }
}
