/**
 * From what the sources hold to the files of content/: articles (front matter and Markdown),
 * authors, categories, redirects, each compared with what is already there. Nothing is
 * written here: the plan says which files change, and why the others do not.
 */
import { createHash } from 'node:crypto'
import { stringify } from 'yaml'
import { parseFrontMatter } from '../../src/content/parse'
import { REDIRECTS_FILE } from '../../src/content/redirects'
import { idProblem } from '../../src/model/id'
import { parseFrom } from '../../src/model/redirects'
import { slugify } from '../../src/model/slug'
import {
  detached,
  plainText,
  type SourceItem,
  type SourceRead,
  type SourceTerm,
  type Where,
} from './source'

export const STATE_FILE = 'content/.migrate.json'
const ARTICLES = 'content/articles/'
const CATEGORIES_FILE = 'content/categories.yaml'
// An edit counts when it comes this long after publication (WordPress saves on publishing).
const REAL_EDIT = 60_000
const MAX_SLUG = 100

export interface PlanOptions {
  now: number
  /** The category of articles from feeds, which do not tell categories from tags. */
  category: { slug: string; name: string }
  /** The author of items that name none. */
  author: { slug: string; name: string }
}

/** An article file already in content/: its id, slug and a hash of its text. */
export interface ExistingArticle {
  id?: string
  slug: string
  sha: string
}

/**
 * What content/ holds now, as far as a migration needs to know: the text of its small files
 * (authors, categories, redirects, the migration's own record), and of each article only its
 * id, slug and hash, so that a large archive is not held in memory twice.
 */
export interface Existing {
  files: ReadonlyMap<string, string>
  articles: ReadonlyMap<string, ExistingArticle>
}

/** An article file as a migration knows it. */
export function existingArticle(file: string, text: string): ExistingArticle {
  const parsed = parseFrontMatter(file, text)
  const front = ('value' in parsed ? parsed.value.data : {}) as { id?: unknown; slug?: unknown }
  const slug = typeof front.slug === 'string' ? front.slug : file.slice(ARTICLES.length, -3)
  // Only these small strings are kept, copied off the file's text (see `detached`).
  return detached({
    ...(typeof front.id === 'string' ? { id: front.id } : {}),
    slug,
    sha: sha(text),
  })
}

/** content/ as text by path (tests): the articles reduced to what a migration keeps of them. */
export function existingOf(files: ReadonlyMap<string, string>): Existing {
  const articles = new Map<string, ExistingArticle>()
  const rest = new Map<string, string>()
  for (const [path, text] of files)
    if (path.startsWith(ARTICLES) && path.endsWith('.md'))
      articles.set(path, existingArticle(path, text))
    else rest.set(path, text)
  return { files: rest, articles }
}

export interface Plan {
  /** Files to write, with their new text. */
  writes: Map<string, string>
  /** For each article file written or checked: the source item it comes from. */
  origins: Map<string, Where>
  report: {
    imported: number
    updated: number
    unchanged: number
    /** Edited by hand since migrate wrote them: left as they are. */
    kept: string[]
    skipped: Map<string, number>
    comments: number
    /** Slugs taken twice, and what each became. */
    collisions: string[]
    dates: Map<string, number>
    /** In content/ but in no source: left as they are. */
    absent: string[]
    shortcodes: Map<string, number>
    frames: number
    redirects: number
    /** Items that had no GUID: given a urn:uuid: named after their link. */
    minted: number
    scheduled: number
  }
  problems: { where: Where; message: string }[]
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex')

// RFC 4122 §4.3: a name-based (SHA-1) UUID in the URL namespace, so the same link always names
// the same article.
const URL_NAMESPACE = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex')
export function uuidFromLink(link: string): string {
  const hash = createHash('sha1').update(URL_NAMESPACE).update(link, 'utf8').digest()
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80
  const hex = hash.subarray(0, 16).toString('hex')
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

function shortSlug(slug: string): string {
  if (slug.length <= MAX_SLUG) return slug
  const cut = slug.slice(0, MAX_SLUG)
  const at = cut.lastIndexOf('-')
  return at > 20 ? cut.slice(0, at) : cut.replace(/-+$/, '')
}

function yamlText(value: unknown): string {
  return stringify(value, { lineWidth: 0, defaultStringType: 'PLAIN', defaultKeyType: 'PLAIN' })
}

function oldPath(link: string | undefined, origins: ReadonlySet<string>): string | undefined {
  if (!link) return undefined
  try {
    const url = new URL(link)
    return origins.has(url.origin) ? url.pathname + url.search : undefined
  } catch {
    return undefined
  }
}

/** Builds the plan for `reads` (in the order given) over the `existing` content. */
export function planMigration(
  reads: readonly SourceRead[],
  existing: Existing,
  options: PlanOptions,
): Plan {
  const plan: Plan = {
    writes: new Map(),
    origins: new Map(),
    report: {
      imported: 0,
      updated: 0,
      unchanged: 0,
      kept: [],
      skipped: new Map(),
      comments: 0,
      collisions: [],
      dates: new Map(),
      absent: [],
      shortcodes: new Map(),
      frames: 0,
      redirects: 0,
      minted: 0,
      scheduled: 0,
    },
    problems: [],
  }
  const state = JSON.parse(existing.files.get(STATE_FILE) ?? '{"articles":{}}') as {
    articles: Record<string, string>
  }
  // Articles already in content/: id → file, and the slugs taken.
  const byId = new Map<string, { file: string; slug: string }>()
  const slugsTaken = new Map<string, string>()
  for (const [file, { id, slug }] of existing.articles) {
    if (id) byId.set(id, { file, slug })
    slugsTaken.set(slug, id ?? file)
  }
  for (const read of reads) {
    for (const [reason, count] of read.skipped)
      plan.report.skipped.set(reason, (plan.report.skipped.get(reason) ?? 0) + count)
    plan.report.comments += read.comments
    plan.problems.push(...read.problems)
  }

  // Every item once (the first source to hold a GUID wins), oldest first: the order decides
  // which of two articles with one slug keeps it.
  const seen = new Set<string>()
  const items: { item: SourceItem; id: string; read: SourceRead }[] = []
  for (const read of reads)
    for (const item of read.items) {
      let id = item.guid
      if (!id) {
        if (!item.link) {
          plan.problems.push({
            where: item.where,
            message: 'has no GUID and no link: nothing to know it by',
          })
          continue
        }
        id = uuidFromLink(item.link)
        plan.report.minted += 1
      }
      const problem = idProblem(id)
      if (problem) {
        plan.problems.push({
          where: item.where,
          message: `GUID ${JSON.stringify(id.slice(0, 80))} ${problem}`,
        })
        continue
      }
      if (seen.has(id)) continue
      seen.add(id)
      items.push({ item, id, read })
    }
  items.sort(
    (a, b) =>
      (a.item.published ?? '').localeCompare(b.item.published ?? '') ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  )

  const authors = new Map<string, { name: string; url?: string; bio?: string }>()
  const categories = new Map<string, { name: string; description: string }>()
  const tagSlugs = new Map<string, string>()
  // Articles: new, changed (unless edited by hand since), or unchanged. Decided as each is
  // made, so that only the texts to write stay in memory.
  const written: Record<string, string> = { ...state.articles }
  const migrated = new Set<string>()
  const redirects: { from: string; to?: string; status?: 410 }[] = []

  for (const { item, id, read } of items) {
    const fail = (message: string) => plan.problems.push({ where: item.where, message })
    if (!item.title) {
      fail('has no title')
      continue
    }
    if (!item.published) {
      fail('has no publication date')
      continue
    }
    if (item.dateNote)
      plan.report.dates.set(item.dateNote, (plan.report.dates.get(item.dateNote) ?? 0) + 1)
    // The slug: the file's when the article was migrated before, else the old site's.
    const known = byId.get(id)
    let slug = known?.slug ?? ''
    if (!slug) {
      const wanted = shortSlug(slugify(item.slug ?? '') || slugify(item.title) || 'article')
      slug = wanted
      for (let n = 2; slugsTaken.has(slug) && slugsTaken.get(slug) !== id; n++)
        slug = `${shortSlug(wanted)}-${n}`
      if (slug !== wanted)
        plan.report.collisions.push(`${item.where}: slug "${wanted}" is taken, "${slug}" used`)
    }
    slugsTaken.set(slug, id)
    const authorSlug = slugify(item.author?.login ?? item.author?.name ?? '') || options.author.slug
    if (!authors.has(authorSlug))
      authors.set(
        authorSlug,
        item.author
          ? {
              name: item.author.name,
              ...(item.author.url ? { url: item.author.url } : {}),
              ...(item.author.bio ? { bio: item.author.bio } : {}),
            }
          : { name: options.author.name },
      )
    const termSlug = (term: SourceTerm) => slugify(term.slug ?? '') || slugify(term.name)
    const itemCategories =
      item.categories.length > 0
        ? item.categories
        : [{ slug: options.category.slug, name: options.category.name }]
    const categorySlugs = [...new Set(itemCategories.map(termSlug).filter(Boolean))]
    for (const term of itemCategories) {
      const slug_ = termSlug(term)
      if (slug_ && !categories.has(slug_))
        categories.set(slug_, {
          name: term.name,
          description: term.description || `Articles filed under ${term.name}.`,
        })
    }
    const tagNames: string[] = []
    for (const tag of item.tags) {
      const name = plainText(tag.name)
      const s = slugify(name)
      if (!s || tagNames.some((t) => slugify(t) === s)) continue
      tagNames.push(name)
      if (tag.slug) tagSlugs.set(tag.slug, s)
    }
    const { summary = '' } = item
    const body = item.body.text()
    const modified = item.modified ? Date.parse(item.modified) : Number.NaN
    const updated =
      modified - Date.parse(item.published) >= REAL_EDIT && modified <= options.now
        ? new Date(modified).toISOString()
        : undefined
    if (Date.parse(item.published) > options.now) plan.report.scheduled += 1
    const image = item.image && {
      url: item.image.url,
      // Alt text is required: the image's own, else its caption, else the headline it leads.
      alt: item.image.alt || item.image.caption || item.title,
      ...(item.image.caption ? { caption: item.image.caption } : {}),
      ...(item.image.credit ? { credit: item.image.credit } : {}),
      ...(item.image.width ? { width: item.image.width } : {}),
      ...(item.image.height ? { height: item.image.height } : {}),
      ...(item.image.type ? { type: item.image.type } : {}),
    }
    const file = known?.file ?? `${ARTICLES}${slug}.md`
    const front = {
      id,
      ...(file === `${ARTICLES}${slug}.md` ? {} : { slug }),
      title: item.title,
      ...(summary ? { summary } : {}),
      author: authorSlug,
      published: item.published,
      ...(updated ? { updated } : {}),
      categories: categorySlugs,
      ...(tagNames.length > 0 ? { tags: tagNames } : {}),
      ...(image ? { image } : {}),
    }
    const origin = item.link ? `# Moved from ${item.link}\n` : ''
    const text = `---\n${origin}${yamlText(front)}---\n\n${body || `${item.title}\n`}`
    migrated.add(id)
    plan.origins.set(file, item.where)
    const current = existing.articles.get(file)?.sha
    const next = sha(text)
    if (current === undefined) {
      plan.writes.set(file, text)
      plan.report.imported += 1
      written[file] = next
    } else if (current === next) {
      plan.report.unchanged += 1
      written[file] = next
    } else if (state.articles[file] === current) {
      plan.writes.set(file, text)
      plan.report.updated += 1
      written[file] = next
    } else plan.report.kept.push(file)
    // The old permalink, and WordPress's /?p=ID, lead to the article.
    const origins = new Set(
      [read.link, read.wordpress?.base, item.link]
        .filter((u): u is string => !!u)
        .flatMap((u) => {
          try {
            return [new URL(u).origin]
          } catch {
            return []
          }
        }),
    )
    const path = oldPath(item.link, origins)
    const target = `/articles/${slug}/`
    if (path && path !== target) {
      redirects.push({ from: path, to: target })
      // The post's own comment feed: gone, as comments are not carried over.
      if (read.wordpress && !path.includes('?'))
        redirects.push({ from: `${path.endsWith('/') ? path : `${path}/`}feed/`, status: 410 })
    }
    if (read.wordpress && item.postId)
      redirects.push({ from: `${basePath(read)}/?p=${item.postId}`, to: target })
  }
  for (const read of reads) {
    for (const [name, n] of read.notes.shortcodes)
      plan.report.shortcodes.set(name, (plan.report.shortcodes.get(name) ?? 0) + n)
    plan.report.frames += read.notes.frames
  }

  for (const [id, { file }] of byId) if (!migrated.has(id)) plan.report.absent.push(file)

  // Authors, categories: new ones added; what is there is left as it is (hand edits win).
  for (const [slug, author] of authors) {
    const file = `content/authors/${slug}.yaml`
    if (!existing.files.has(file)) plan.writes.set(file, yamlText(author))
  }
  const categoriesText = existing.files.get(CATEGORIES_FILE) ?? ''
  const existingCategories = new Set(
    [...categoriesText.matchAll(/^- slug: (.+)$/gm)].map((m) =>
      (m[1] as string).trim().replace(/^["']|["']$/g, ''),
    ),
  )
  const newCategories = [...categories].filter(([slug]) => !existingCategories.has(slug))
  if (newCategories.length > 0)
    plan.writes.set(
      CATEGORIES_FILE,
      `${categoriesText}${categoriesText && !categoriesText.endsWith('\n') ? '\n' : ''}${yamlText(newCategories.map(([slug, c]) => ({ slug, ...c })))}`,
    )

  // WordPress's feed addresses, and its category, tag and author feeds.
  for (const read of reads) {
    if (!read.wordpress) {
      // The old feed's own address leads to the site feed in the same format.
      if (read.feed) {
        const from = oldPath(read.feed.url, new Set([new URL(read.feed.url).origin]))
        const to = { rss: '/rss.xml', atom: '/atom.xml', json: '/feed.json' }[read.feed.format]
        if (from) redirects.push({ from, to })
      }
      continue
    }
    const base = basePath(read)
    for (const [from, to] of [
      ['/feed/', '/rss.xml'],
      ['/feed/rss2/', '/rss.xml'],
      ['/feed/rss/', '/rss.xml'],
      ['/feed/rdf/', '/rss.xml'],
      ['/feed/atom/', '/atom.xml'],
      ['/?feed=rss2', '/rss.xml'],
      ['/?feed=rss', '/rss.xml'],
      ['/?feed=rdf', '/rss.xml'],
      ['/?feed=atom', '/atom.xml'],
    ] as const)
      redirects.push({ from: base + from, to })
    redirects.push(
      { from: `${base}/comments/feed/`, status: 410 },
      { from: `${base}/?feed=comments-rss2`, status: 410 },
    )
    for (const category of read.categories) {
      const slug = slugify(category.slug ?? '')
      if (!slug || !categories.has(slug)) continue
      const old = category.path ?? category.slug
      redirects.push(
        { from: `${base}/category/${old}/feed/`, to: `/categories/${slug}/rss.xml` },
        { from: `${base}/category/${old}/feed/atom/`, to: `/categories/${slug}/atom.xml` },
      )
      if (category.id)
        redirects.push({
          from: `${base}/?cat=${category.id}&feed=rss2`,
          to: `/categories/${slug}/rss.xml`,
        })
    }
    for (const [old, slug] of tagSlugs)
      redirects.push(
        { from: `${base}/tag/${old}/feed/`, to: `/tags/${slug}/rss.xml` },
        { from: `${base}/tag/${old}/feed/atom/`, to: `/tags/${slug}/atom.xml` },
        { from: `${base}/?tag=${old}&feed=rss2`, to: `/tags/${slug}/rss.xml` },
      )
    // WordPress's author URLs use the user's nicename, its login made a slug.
    for (const author of read.authors) {
      const slug = slugify(author.login ?? '')
      if (!slug || !authors.has(slug)) continue
      redirects.push(
        { from: `${base}/author/${slug}/feed/`, to: `/authors/${slug}/rss.xml` },
        { from: `${base}/author/${slug}/feed/atom/`, to: `/authors/${slug}/atom.xml` },
      )
    }
  }
  writeRedirects(redirects, existing, plan)

  // What migrate wrote, to tell its files from files edited by hand next time.
  const stateText = `${JSON.stringify({ articles: Object.fromEntries(Object.entries(written).sort(([a], [b]) => (a < b ? -1 : 1))) }, null, 1)}\n`
  if (existing.files.get(STATE_FILE) !== stateText && plan.writes.size > 0)
    plan.writes.set(STATE_FILE, stateText)
  return plan
}

function basePath(read: SourceRead): string {
  try {
    return new URL(read.wordpress?.base ?? read.link ?? '').pathname.replace(/\/+$/, '')
  } catch {
    return ''
  }
}

const ruleKey = (from: string) => {
  const { path, query } = parseFrom(from)
  return `${path}?${new URLSearchParams(query)}`
}

// New rules go after the file's own, once each; a `from` already there is left as it is.
function writeRedirects(
  rules: { from: string; to?: string; status?: 410 }[],
  existing: Existing,
  plan: Plan,
): void {
  const current = existing.files.get(REDIRECTS_FILE) ?? ''
  const taken = new Set(
    [...current.matchAll(/^- from: (.+)$/gm)].map((m) => ruleKey(unquote(m[1] as string))),
  )
  const added: typeof rules = []
  for (const rule of rules) {
    const key = ruleKey(rule.from)
    // newswire's own addresses are not redirected, whatever the old site had there.
    if (
      taken.has(key) ||
      rule.from === rule.to ||
      /^\/(?:rss\.xml|atom\.xml|feed\.json)$/.test(rule.from) ||
      rule.from === '/'
    )
      continue
    taken.add(key)
    added.push(rule)
  }
  plan.report.redirects = added.length
  if (added.length === 0) return
  const header = current
    ? ''
    : '# Old addresses and where they lead now: written by `npm run migrate`, yours to edit.\n'
  plan.writes.set(
    REDIRECTS_FILE,
    `${current}${current && !current.endsWith('\n') ? '\n' : ''}${header}${yamlText(added.map((r) => ({ from: r.from, ...(r.to ? { to: r.to } : {}), ...(r.status ? { status: r.status } : {}) })))}`,
  )
}

function unquote(value: string): string {
  const trimmed = value.trim()
  if (/^".*"$/.test(trimmed)) return JSON.parse(trimmed) as string
  if (/^'.*'$/.test(trimmed)) return trimmed.slice(1, -1).replace(/''/g, "'")
  return trimmed
}
