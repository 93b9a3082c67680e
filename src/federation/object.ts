import type { Article } from '../model/types'
import { escapeAttr, escapeText } from '../render/escape'
import { actorUrl, objectUrl, PUBLIC } from './urls'

/**
 * How an article is federated. `Note` (the default): Mastodon, Misskey and Threads show its
 * content, so it holds the title linked to the page, the byline, the summary and the full
 * text. `Article`: Mastodon shows only its name, summary and link (mastodon#12147), Misskey its
 * summary as a content warning over the content (misskey#17919).
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

// A Note's content is what Mastodon, Misskey and Threads show: the title linked to the page,
// the byline, the summary, the full text (Mastodon keeps its paragraphs, links, emphasis,
// lists, quotes and code, and drops other tags but keeps their text), then the hashtags.
function noteContent(article: Article, hashtags: { href: string; name: string }[]): string {
  const link = `<a href="${escapeAttr(article.url)}">${escapeText(article.title)}</a>`
  const tags = hashtags
    .map(
      (h) =>
        `<a href="${escapeAttr(h.href)}" class="mention hashtag" rel="tag">${escapeText(h.name)}</a>`,
    )
    .join(' ')
  return [
    `<p><strong>${link}</strong><br>${escapeText(article.author.name)}</p>`,
    article.summary ? `<p>${escapeText(article.summary)}</p>` : '',
    article.contentHtml,
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
