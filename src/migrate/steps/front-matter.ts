/** An article file's text: its front matter (YAML) and its Markdown body. */
import type { SourceItem } from '../source'
import { ARTICLES, type PlanOptions, yamlText } from './types'

// An edit counts when it comes this long after publication (WordPress saves on publishing).
const REAL_EDIT = 60_000

/** What the plan decided of an article beside its item: where it goes and what it is filed under. */
export interface ArticlePlace {
  id: string
  slug: string
  file: string
  author: string
  categories: string[]
  tags: string[]
}

// `updated` only for a real edit, never ahead of the clock.
function updatedOf(item: SourceItem, now: number): string | undefined {
  const modified = item.modified ? Date.parse(item.modified) : Number.NaN
  return modified - Date.parse(item.published ?? '') >= REAL_EDIT && modified <= now
    ? new Date(modified).toISOString()
    : undefined
}

function imageOf(item: SourceItem) {
  const { image } = item
  if (!image) return undefined
  return {
    url: image.url,
    // Alt text is required: the image's own, else its caption, else the headline it leads.
    alt: image.alt || image.caption || item.title || 'Image',
    ...(image.caption ? { caption: image.caption } : {}),
    ...(image.credit ? { credit: image.credit } : {}),
    ...(image.width ? { width: image.width } : {}),
    ...(image.height ? { height: image.height } : {}),
    ...(image.type ? { type: image.type } : {}),
  }
}

/**
 * The text of an article's file. An untitled item gets no `title` (the build shows it without
 * one), and a body with no paragraph no invented `summary`: nothing readers never saw is made up.
 */
export function articleText(item: SourceItem, place: ArticlePlace, options: PlanOptions): string {
  const updated = updatedOf(item, options.now)
  const image = imageOf(item)
  const front = {
    id: place.id,
    ...(place.file === `${ARTICLES}${place.slug}.md` ? {} : { slug: place.slug }),
    ...(item.title ? { title: item.title } : {}),
    ...(item.summary ? { summary: item.summary } : {}),
    author: place.author,
    published: item.published,
    ...(updated ? { updated } : {}),
    categories: place.categories,
    ...(place.tags.length > 0 ? { tags: place.tags } : {}),
    ...(image ? { image } : {}),
    ...(item.attachments?.length ? { attachments: item.attachments } : {}),
  }
  const origin = item.link ? `# Moved from ${item.link}\n` : ''
  const body = item.body.text()
  return `---\n${origin}${yamlText(front)}---\n\n${body || (item.title ? `${item.title}\n` : '')}`
}
