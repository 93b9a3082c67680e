import { slugify } from '../model/slug'
import type { Article, Author, Category, LeadImage, Tag } from '../model/types'
import { type RenderedBody, renderHtml, renderMarkdown } from './markdown'
import { absolute, optional, type Problems } from './problems'
import type { FrontMatter } from './schema'

const SUMMARY_LENGTH = 300

/** What an article's references are checked against, and where its problems go. */
export interface ArticleContext {
  base: string
  authors: ReadonlyMap<string, Author>
  categories: ReadonlyMap<string, Category>
  /** Tags seen so far: the first spelling of a slug names the tag. Grows as articles load. */
  tags: Map<string, Tag>
  problems: Problems
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

function truncate(text: string, length: number): string {
  const chars = Array.from(text)
  if (chars.length <= length) return text
  const cut = chars.slice(0, length).join('')
  const atWord = cut.replace(/\s+\S*$/, '')
  return `${atWord.length > length / 2 ? atWord : cut}…`
}

function resolveImage(image: NonNullable<FrontMatter['image']>, base: string): LeadImage {
  const defined = Object.entries({
    ...image,
    url: absolute(image.url, base),
    caption: image.caption || undefined,
  })
  return Object.fromEntries(
    defined.filter(([, value]) => value !== undefined),
  ) as unknown as LeadImage
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
    const tag = context.tags.get(slug) ?? { slug, name }
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

function renderBody(source: ArticleSource, url: string, problems: Problems): RenderedBody {
  const body = source.body.trim()
  if (!body)
    problems.add(source.file, '(body)', 'is empty; write the article below the front matter')
  return source.format === 'html' ? renderHtml(body, url) : renderMarkdown(body, url)
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
  const { problems } = context
  const url = `${context.base}/articles/${encodeURIComponent(source.slug)}/`
  const [author] = lookUp(context.authors, [front.author], file, 'author', 'author', problems)
  const categories = lookUp(
    context.categories,
    front.categories,
    file,
    'categories',
    'category',
    problems,
  )
  const rendered = renderBody(source, url, problems)
  const summary = front.summary || truncate(rendered.lead, SUMMARY_LENGTH)
  if (!summary)
    problems.add(file, 'summary', 'is empty and the body has no paragraph to take one from')
  const updated = front.updated ?? front.published
  if (updated < front.published)
    problems.add(file, 'updated', `must not be before published (${front.published})`)
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
    updated,
    author,
    categories,
    tags: resolveTags(front.tags, file, context),
    ...optional('image', front.image && resolveImage(front.image, context.base)),
  }
}
