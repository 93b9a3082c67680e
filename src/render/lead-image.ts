import type { Article } from '../model/types'
import { escapeAttr, escapeText } from './escape'

function dimensions(article: Article): string {
  const { width, height } = article.image ?? {}
  return `${width ? ` width="${width}"` : ''}${height ? ` height="${height}"` : ''}`
}

/**
 * The lead image as a `<figure>` with its caption and credit, placed before the body so readers
 * that ignore Media RSS still show it with its credit. Empty when the image has no URL. `lazy`
 * (for pages) lets a browser load it only near the viewport.
 */
export function leadFigureHtml(article: Article, options: { lazy?: boolean } = {}): string {
  const image = article.image
  if (!image?.url) return ''
  const caption = image.caption ? `${escapeText(image.caption)}${image.credit ? ' ' : ''}` : ''
  const credit = image.credit ? `<small>(Image credit: ${escapeText(image.credit)})</small>` : ''
  const figcaption = caption || credit ? `<figcaption>${caption}${credit}</figcaption>` : ''
  return (
    `<figure><img src="${escapeAttr(image.url)}" alt="${escapeAttr(image.alt)}"${options.lazy ? ' loading="lazy"' : ''}${dimensions(article)}>` +
    `${figcaption}</figure>`
  )
}

/** The full HTML sent as an item's content: lead figure, then the body. */
export function contentHtml(article: Article): string {
  return leadFigureHtml(article) + article.contentHtml
}
