import { truncateAtWord } from './text'
import type { Article } from './types'

/** The most characters of an untitled article's text that stand in for its title. */
export const DISPLAY_TITLE_LENGTH = 80

/**
 * What a page, a sitemap or an Atom entry shows as an article's headline: its title; for an
 * untitled one (RSS 2.0 and JSON Feed 1.1 let an item have none, Atom §4.1.2 and Google News do
 * not) the start of its summary or text, cut at a word, else its publication date.
 */
export function displayTitle(
  article: Pick<Article, 'title' | 'summary' | 'text' | 'published'>,
): string {
  if (article.title) return article.title
  const words = (article.summary || article.text).replace(/\s+/g, ' ').trim()
  if (words) return truncateAtWord(words, DISPLAY_TITLE_LENGTH)
  // RFC 3339 full-date: the same in every language, so every format and page agrees.
  return article.published.slice(0, 10)
}
