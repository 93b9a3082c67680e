import { slugify } from '../model/slug'
import { truncateAtWord } from '../model/text'
import type { Article, Attachment, Author, Category, LeadImage, Tag } from '../model/types'
import { articleUrl } from '../model/url'
import { BodyLimitError } from './bounds'
import { type RenderedBody, renderHtml, renderMarkdown } from './markdown'
import { absolute, detach, optional, type Problems } from './problems'
import type { FrontMatter } from './schema'

const SUMMARY_LENGTH = 300

/** How far ahead an article may be scheduled: further is a typo, not an embargo. */
export const MAX_SCHEDULE_DAYS = 366
const DAY = 86_400_000

/** What an article's references are checked against, and where its problems go. */
export interface ArticleContext {
  base: string
  authors: ReadonlyMap<string, Author>
  categories: ReadonlyMap<string, Category>
  /** Tags seen so far: the first spelling of a slug names the tag. Grows as articles load. */
  tags: Map<string, Tag>
  problems: Problems
  /** The clock of the build or the request (ms): what is scheduled, what is in the future. */
  now: number
}

/** One article's validated front matter and its body, from a file or from the publish API. */
export interface ArticleSource {
  /** Where problems are reported: a file path, or `body` for the API. */
  file: string
  front: FrontMatter
  slug: string
  body: string
  format: 'markdown' | 'html'
}

function resolveImage(image: NonNullable<FrontMatter['image']>, base: string): LeadImage {
  const defined = Object.entries({
    ...image,
    url: absolute(image.url, base),
    caption: image.caption || undefined,
    credit: image.credit || undefined,
  })
  return Object.fromEntries(
    defined.filter(([, value]) => value !== undefined),
  ) as unknown as LeadImage
}

function resolveAttachments(
  attachments: NonNullable<FrontMatter['attachments']>,
  base: string,
): Attachment[] {
  return attachments.map(
    (file) =>
      Object.fromEntries(
        Object.entries({
          ...file,
          url: absolute(file.url, base),
          title: file.title || undefined,
        }).filter(([, value]) => value !== undefined),
      ) as unknown as Attachment,
  )
}

// The summary an article shows (README "Writing content"): its own; else its first paragraph;
// else any words of its body (a table, code, a caption) or an image's alt text; else the lead
// image's caption or alt text; else its title; else none.
function summarise(front: FrontMatter, rendered: RenderedBody): string {
  if (front.summary) return front.summary
  const source =
    rendered.lead || rendered.fallback || front.image?.caption || front.image?.alt || front.title
  return source ? truncateAtWord(source, SUMMARY_LENGTH) : ''
}

function resolveTags(names: string[], file: string, context: ArticleContext): Tag[] {
  const tags: Tag[] = []
  names.forEach((name, index) => {
    const slug = slugify(name)
    if (!slug) {
      context.problems.add(
        file,
        `tags.${index}`,
        `has no letters or digits to make a slug: ${JSON.stringify(name)}`,
      )
      return
    }
    const tag = context.tags.get(slug) ?? { slug, name: detach(name) }
    context.tags.set(slug, tag)
    if (!tags.some((known) => known.slug === slug)) tags.push(tag)
  })
  return tags
}

/** Looks slugs up in a table, reporting each unknown one at `field.index`. */
export function lookUp<T>(
  table: ReadonlyMap<string, T>,
  slugs: string[],
  file: string,
  field: string,
  what: string,
  problems: Problems,
): T[] {
  const found: T[] = []
  slugs.forEach((slug, index) => {
    const value = table.get(slug)
    if (value === undefined)
      problems.add(
        file,
        field === 'author' ? field : `${field}.${index}`,
        `names an unknown ${what} "${slug}"`,
      )
    else if (!found.includes(value)) found.push(value)
  })
  return found
}

function renderBody(
  source: ArticleSource,
  url: string,
  problems: Problems,
): RenderedBody | undefined {
  const body = source.body.trim()
  try {
    return source.format === 'html' ? renderHtml(body, url) : renderMarkdown(body, url)
  } catch (error) {
    // A body beyond the limits is the writer's to fix, reported like any other content problem.
    if (!(error instanceof BodyLimitError)) throw error
    problems.add(source.file, 'body', error.message)
    return undefined
  }
}

const formatDays = (ms: number) => Math.ceil(ms / DAY).toLocaleString('en-US')

// A scheduled article (published after now) appears at its minute, unedited: its `updated` is
// that minute. Once out, an article's update is in the past: no feed carries a future date.
function checkTimes(front: FrontMatter, file: string, context: ArticleContext): void {
  const { now, problems } = context
  const published = Date.parse(front.published)
  if (published - now > MAX_SCHEDULE_DAYS * DAY)
    problems.add(
      file,
      'published',
      `is ${formatDays(published - now)} days ahead; an article can be scheduled at most ${MAX_SCHEDULE_DAYS} days ahead`,
    )
  if (front.updated === undefined) return
  const updated = Date.parse(front.updated)
  if (published > now && updated > published)
    problems.add(
      file,
      'updated',
      `must not be after published (${front.published}) while the article is scheduled; it appears unedited`,
    )
  else if (published <= now && updated > now)
    problems.add(file, 'updated', `is in the future (${front.updated}); an update has happened`)
}

/** What an article's front matter refers to, resolved, and its problems noted on the way. */
interface Resolved {
  author: Author | undefined
  categories: Category[]
  url: string
}

// References, an empty body and dates: every check that needs no rendering.
function resolveSource(source: ArticleSource, context: ArticleContext): Resolved {
  const { front, file } = source
  const { problems } = context
  const [author] = lookUp(context.authors, [front.author], file, 'author', 'author', problems)
  const categories = lookUp(
    context.categories,
    front.categories,
    file,
    'categories',
    'category',
    problems,
  )
  if (!source.body.trim())
    problems.add(file, '(body)', 'is empty; write the article below the front matter')
  if ((front.updated ?? front.published) < front.published)
    problems.add(file, 'updated', `must not be before published (${front.published})`)
  checkTimes(front, file, context)
  const url = articleUrl(context.base, source.slug)
  return { author, categories, url }
}

/**
 * Checks an article as far as it can be without rendering its body (references, tags, dates,
 * an empty body), noting its tags in the context: a first pass over an archive too large to
 * hold rendered, with the same problems, save one (a summary the body cannot give).
 */
export function checkArticle(source: ArticleSource, context: ArticleContext): void {
  resolveSource(source, context)
  resolveTags(source.front.tags, source.file, context)
}

/**
 * Builds the Article every renderer sees: references resolved, body sanitised with absolute
 * URLs, summary taken from the first paragraph when missing. Problems go to the context;
 * undefined when the article cannot be built at all.
 */
export function assembleArticle(
  source: ArticleSource,
  context: ArticleContext,
): Article | undefined {
  const { front, file } = source
  const { author, categories, url } = resolveSource(source, context)
  const rendered = renderBody(source, url, context.problems)
  if (!rendered) return undefined
  const summary = summarise(front, rendered)
  // Nothing to show as a headline or in its place (model/title.ts) is the one thing untitled
  // content cannot have.
  if (!summary)
    context.problems.add(
      file,
      'title',
      'is empty and the article has no text to show in its place (no summary, no words in the body, no image description)',
    )
  if (!author) return undefined
  return {
    id: front.id,
    slug: source.slug,
    url,
    title: front.title,
    summary,
    contentHtml: rendered.html,
    text: rendered.text,
    published: front.published,
    updated: front.updated ?? front.published,
    author,
    categories,
    tags: resolveTags(front.tags, file, context),
    ...optional('image', front.image && resolveImage(front.image, context.base)),
    ...optional(
      'attachments',
      front.attachments?.length ? resolveAttachments(front.attachments, context.base) : undefined,
    ),
  }
}
