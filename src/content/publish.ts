import * as v from 'valibot'
import type { Catalog } from '../model/feeds'
import { slugify } from '../model/slug'
import type { Article } from '../model/types'
import { assembleArticle } from './article'
import { Problems } from './problems'
import { FrontMatterSchema, validate } from './schema'

/** The publish API's body: the fields of front matter, and the body as Markdown or HTML. */
export const PublishSchema = v.strictObject({
  ...FrontMatterSchema.entries,
  id: v.optional(FrontMatterSchema.entries.id),
  body: v.optional(v.string('must be Markdown text')),
  body_html: v.optional(v.string('must be HTML text')),
})

/** A problem with a publish request, as the API reports it. */
export interface FieldProblem {
  field: string
  message: string
}

const MAX_SLUG = 80

function slugFromTitle(title: string): string {
  return Array.from(slugify(title)).slice(0, MAX_SLUG).join('').replace(/-+$/, '')
}

/**
 * Validates a publish request for the article `id` exactly as content/ is validated, and
 * builds the Article. A missing slug keeps the article's current one, or comes from the title.
 */
export function articleFromRequest(input: {
  id: string
  json: unknown
  catalog: Catalog
  currentSlug?: string
  /** The request's instant (ms). */
  now: number
}): { article: Article } | { problems: FieldProblem[] } {
  const problems = new Problems()
  const fields = problems.take(validate(PublishSchema, input.json, 'body'))
  if (!fields) return { problems: problems.list.map(({ field, message }) => ({ field, message })) }
  const { body, body_html: bodyHtml, ...front } = fields
  if (front.id !== undefined && front.id !== input.id)
    problems.add('body', 'id', `must be the id in the URL (${input.id}) or left out`)
  if ((body === undefined) === (bodyHtml === undefined))
    problems.add('body', 'body', 'give the article as exactly one of body (Markdown) or body_html')
  const slug = front.slug ?? input.currentSlug ?? slugFromTitle(front.title)
  if (!slug)
    problems.add(
      'body',
      'slug',
      front.title
        ? 'is missing and the title has no letters or digits to make one'
        : 'is required for an untitled article (there is no title to make one from)',
    )
  const { catalog } = input
  const context = {
    base: catalog.site.url,
    authors: new Map(catalog.authors.map((a) => [a.slug, a])),
    categories: new Map(catalog.categories.map((c) => [c.slug, c])),
    tags: new Map(catalog.tags.map((t) => [t.slug, t])),
    problems,
    now: input.now,
  }
  const source = {
    file: 'body',
    front: { ...front, id: input.id },
    slug,
    body: body ?? bodyHtml ?? '',
    format: bodyHtml === undefined ? ('markdown' as const) : ('html' as const),
  }
  const article = assembleArticle(source, context)
  if (problems.list.length > 0 || !article)
    return { problems: problems.list.map(({ field, message }) => ({ field, message })) }
  return { article }
}
