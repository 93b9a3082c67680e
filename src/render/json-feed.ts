import type { Article, Author } from '../model/types'
import { formatRfc3339 } from './dates'
import { type FeedChunks, type FeedDocument, feedPageUrl } from './document'
import { toJson } from './escape'
import { contentHtml } from './lead-image'

export const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1'
export const JSON_TAIL = '\n  ]\n}\n'

function jsonAuthor(author: Author): Record<string, string> {
  return { name: author.name, url: author.url, ...(author.avatar ? { avatar: author.avatar } : {}) }
}

// JSON Feed 1.1 "Extensions": custom keys start with an underscore and hold an object.
function imageExtension(article: Article): Record<string, unknown> {
  const image = article.image
  if (!image?.url) return {}
  const { url: _url, ...details } = image
  return { image: image.url, _image: details }
}

function uniqueNames(article: Article): string[] {
  return [...new Set([...article.categories, ...article.tags].map((term) => term.name))]
}

// JSON Feed 1.1 `attachments`: url and mime_type required; size and duration when known.
function jsonAttachments(article: Article): Record<string, unknown> {
  if (!article.attachments?.length) return {}
  return {
    attachments: article.attachments.map((file) => ({
      url: file.url,
      mime_type: file.type,
      ...(file.title ? { title: file.title } : {}),
      ...(file.length ? { size_in_bytes: file.length } : {}),
      ...(file.duration !== undefined ? { duration_in_seconds: file.duration } : {}),
    })),
  }
}

/** One item object, serialised; depends on the article only, so it is rendered once. */
export function renderJsonItem(article: Article): string {
  const { image, _image } = imageExtension(article)
  const item = {
    id: article.id,
    url: article.url,
    // JSON Feed 1.1: `title` and `summary` are optional; an untitled article has none.
    ...(article.title ? { title: article.title } : {}),
    content_html: contentHtml(article),
    ...(article.summary ? { summary: article.summary } : {}),
    ...(image ? { image } : {}),
    date_published: formatRfc3339(article.published),
    date_modified: formatRfc3339(article.updated),
    authors: [jsonAuthor(article.author)],
    tags: uniqueNames(article),
    ...jsonAttachments(article),
    ...(_image ? { _image } : {}),
  }
  return `    ${toJson(item)}`
}

/** The feed object up to the opening of its `items` array. */
export function renderJsonHead(doc: FeedDocument): string {
  const { site, feed } = doc
  const head = {
    version: JSON_FEED_VERSION,
    title: feed.title,
    home_page_url: feedPageUrl(site.url, feed),
    feed_url: doc.selfUrl,
    description: feed.description,
    ...(site.icon ? { icon: site.icon } : {}),
    ...(site.favicon ? { favicon: site.favicon } : {}),
    language: site.language,
    authors: [{ name: site.title, url: `${site.url}/` }],
    // JSON Feed 1.1: `next_url` is how a reader pages back through the archive.
    ...(doc.paging?.next ? { next_url: doc.paging.next } : {}),
    ...(site.hub ? { hubs: [{ type: 'WebSub', url: site.hub }] } : {}),
  }
  const json = toJson(head, 2)
  return `${json.slice(0, -2)},\n  "items": [\n`
}

/** JSON Feed 1.1. */
export function renderJsonFeed(doc: FeedDocument, items: readonly string[]): FeedChunks {
  return { head: renderJsonHead(doc), items, separator: ',\n', tail: JSON_TAIL }
}
