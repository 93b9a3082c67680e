import { type ImageElement, STANDARD_IMAGE_ELEMENTS } from '../model/profile'
import type { Article } from '../model/types'
import { escapeAttr, escapePlain } from './escape'

/** The Media RSS namespace (https://www.rssboard.org/media-rss). */
export const MEDIA_NS = 'http://search.yahoo.com/mrss/'

/** How an aggregator profile changes an item; the standard item has none of these. */
export interface ItemOptions {
  /** Plain text in place of the summary. */
  description?: string
  /**
   * HTML in place of the full article HTML (lead figure and body); `null` for a teaser, an item
   * with no content at all.
   */
  content?: string | null
  /** The elements that carry the lead image (the figure is the content's to carry). */
  imageElements?: readonly ImageElement[]
}

/** A file as an enclosure names it: URL, real byte length and MIME type. */
export interface Enclosure {
  url: string
  length: number
  type: string
}

/**
 * The lead image as an enclosure can carry it: RSS 2.0 <enclosure> (and Atom's rel="enclosure")
 * need the real byte length and type, never a guess. Undefined when either is unknown.
 */
export function enclosureOf(article: Article): Enclosure | undefined {
  const image = article.image
  return image?.url && image.length && image.type
    ? { url: image.url, length: image.length, type: image.type }
    : undefined
}

/**
 * RSS 2.0's one <enclosure>: the first attachment whose length is known (the episode or video
 * the item is about wins over its picture), else the lead image when the item carries it there.
 */
export function rssEnclosureOf(article: Article, withImage: boolean): Enclosure | undefined {
  const file = article.attachments?.find((attachment) => attachment.length !== undefined)
  if (file?.length) return { url: file.url, length: file.length, type: file.type }
  return withImage ? enclosureOf(article) : undefined
}

/** Whether the item carries its lead image in `element`. */
export const carries = (options: ItemOptions, element: ImageElement): boolean =>
  (options.imageElements ?? STANDARD_IMAGE_ELEMENTS).includes(element)

/** `media:thumbnail` for the lead image, with its size when known (Media RSS §5). */
export function renderThumbnail(article: Article, indent: string): string {
  const image = article.image
  if (!image?.url) return ''
  const size = image.width && image.height ? ` width="${image.width}" height="${image.height}"` : ''
  return `${indent}<media:thumbnail url="${escapeAttr(image.url)}"${size}/>\n`
}

function attribute(name: string, value: string | number | undefined): string {
  return value === undefined ? '' : ` ${name}="${escapeAttr(String(value))}"`
}

/**
 * `media:content` for the lead image with its description and credit (Media RSS §5, §6);
 * `fileSize` only when the byte length is really known. Empty when the image has no URL.
 */
export function renderMediaContent(article: Article, indent: string): string {
  const image = article.image
  if (!image?.url) return ''
  const attributes =
    attribute('url', image.url) +
    ' medium="image"' +
    attribute('type', image.type) +
    attribute('width', image.width) +
    attribute('height', image.height) +
    attribute('fileSize', image.length)
  return (
    `${indent}<media:content${attributes}>\n` +
    `${indent}  <media:description type="plain">${escapePlain(image.caption ?? image.alt)}</media:description>\n` +
    (image.credit ? `${indent}  <media:credit>${escapePlain(image.credit)}</media:credit>\n` : '') +
    `${indent}</media:content>\n`
  )
}

// Media RSS §5 `medium`: image | audio | video | document | executable.
function mediumOf(type: string): string {
  const major = type.slice(0, type.indexOf('/'))
  return major === 'image' || major === 'audio' || major === 'video' ? major : 'document'
}

/**
 * `media:content` for each attachment (Media RSS §5: `fileSize` and `duration` when known,
 * `media:title` §6), so that readers of Media RSS see every file, not only the one enclosure
 * RSS 2.0 allows.
 */
export function renderAttachmentsMedia(article: Article, indent: string): string {
  return (article.attachments ?? [])
    .map(
      (file) =>
        `${indent}<media:content${attribute('url', file.url)}${attribute('type', file.type)} medium="${mediumOf(file.type)}"${attribute('fileSize', file.length)}${attribute('duration', file.duration)}` +
        (file.title
          ? `>\n${indent}  <media:title type="plain">${escapePlain(file.title)}</media:title>\n${indent}</media:content>\n`
          : '/>\n'),
    )
    .join('')
}
