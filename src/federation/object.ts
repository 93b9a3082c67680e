import type { Article } from '../model/types'
import { escapeAttr, escapeText } from '../render/escape'
import { actorUrl, objectUrl, PUBLIC } from './urls'

/**
 * How an article is federated. `Note` (the default): Mastodon, Misskey and Threads show its
 * content, so the title links to the page above the summary. `Article`: Mastodon 4.x shows
 * only its name, summary and link, and drops the content (docs.joinmastodon.org/spec/activitypub).
 */
export type ObjectType = 'Note' | 'Article'

function hashtagName(name: string): string {
  // A hashtag is one word: Mastodon's HASHTAG_RE takes letters, digits, `_` and middle dots.
  return name.normalize('NFKC').replace(/[^\p{L}\p{M}\p{N}_]+/gu, '')
}

function tagsOf(article: Article, origin: string) {
  return article.tags
    .map((tag) => ({ tag, name: hashtagName(tag.name) }))
    .filter(({ name }) => name.length > 0)
    .map(({ tag, name }) => ({
      type: 'Hashtag',
      href: `${origin}/tags/${encodeURIComponent(tag.slug)}/`,
      name: `#${name}`,
    }))
}

function noteContent(article: Article, hashtags: { href: string; name: string }[]): string {
  const link = `<a href="${escapeAttr(article.url)}">${escapeText(article.title)}</a>`
  const tags = hashtags
    .map(
      (h) =>
        `<a href="${escapeAttr(h.href)}" class="mention hashtag" rel="tag">${escapeText(h.name)}</a>`,
    )
    .join(' ')
  return [
    `<p><strong>${link}</strong></p>`,
    article.summary ? `<p>${escapeText(article.summary)}</p>` : '',
    tags ? `<p>${tags}</p>` : '',
  ].join('')
}

/**
 * An article as an ActivityStreams object (AS2 Vocabulary §3.3), attributed to the actor that
 * federates it, public, with its lead image (and alt text), hashtags and link.
 */
export function renderObject(
  article: Article,
  options: { origin: string; handle: string; type?: ObjectType },
): Record<string, unknown> {
  const { origin, handle } = options
  const actor = actorUrl(origin, handle)
  const hashtags = tagsOf(article, origin)
  const image = article.image?.url
    ? [
        {
          type: 'Image',
          ...(article.image.type ? { mediaType: article.image.type } : {}),
          url: new URL(article.image.url, origin).href,
          name: article.image.alt,
          ...(article.image.width ? { width: article.image.width } : {}),
          ...(article.image.height ? { height: article.image.height } : {}),
        },
      ]
    : []
  const common = {
    id: objectUrl(origin, article.id),
    attributedTo: actor,
    url: article.url,
    published: article.published,
    ...(article.updated !== article.published ? { updated: article.updated } : {}),
    to: [PUBLIC],
    cc: [`${actor}/followers`],
    tag: hashtags,
    attachment: image,
    sensitive: false,
  }
  if (options.type === 'Article')
    return {
      type: 'Article',
      ...common,
      name: article.title,
      summary: article.summary,
      content: article.contentHtml,
    }
  // No `summary` on a Note: Mastodon shows a Note's summary as a content warning.
  return { type: 'Note', ...common, content: noteContent(article, hashtags) }
}

/** What a deleted article's id answers (AS2 Vocabulary §5.6): 410 with a Tombstone. */
export function renderTombstone(origin: string, articleId: string): Record<string, unknown> {
  return { type: 'Tombstone', id: objectUrl(origin, articleId) }
}
