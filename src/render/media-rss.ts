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

/**
 * The lead image as an enclosure can carry it: RSS 2.0 <enclosure> (and Atom's rel="enclosure")
 * need the real byte length and type, never a guess. Undefined when either is unknown.
 */
export function enclosureOf(
  article: Article,
): { url: string; length: number; type: string } | undefined {
  const image = article.image
  return image?.url && image.length && image.type
    ? { url: image.url, length: image.length, type: image.type }
    : undefined
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
