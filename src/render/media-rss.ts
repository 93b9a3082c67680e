import type { Article } from '../model/types'
import { escapeAttr, escapePlain } from './escape'

/** The Media RSS namespace (https://www.rssboard.org/media-rss). */
export const MEDIA_NS = 'http://search.yahoo.com/mrss/'

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
    `${indent}  <media:credit>${escapePlain(image.credit)}</media:credit>\n` +
    `${indent}</media:content>\n`
  )
}
