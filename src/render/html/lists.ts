import type { Site } from '../../model/types'
import { type FeedLinks, renderLayoutAround } from './layout'
import { FEED_TABLE_CLOSE, FEED_TABLE_OPEN } from './pages'
import { html, type SafeHtml } from './template'

/** One page of an alphabetical list of feeds (`/tags/`, `/authors/`). */
export interface FeedListPage {
  site: Site
  /** The site's feed, announced for autodiscovery as on every page. */
  siteFeed: FeedLinks
  /** `Tags`, `Authors`. */
  heading: string
  /** The list's own address, without a query (`/tags/`). */
  path: string
  canonicalUrl: string
  /** Entries in the catalog, and those the filter keeps. */
  all: number
  found: number
  query: string
  /** The letter of each of this page's entries, in order (their rows are written apart). */
  entries: { letter: string }[]
  /** Every letter of the (filtered) list and the address of the page it starts on. */
  letters: { letter: string; href: string }[]
  paging: { page: number; pages: number; previous?: string; next?: string }
}

// A formatter per language: making one costs more than the rest of a list page's text.
const numberFormats = new Map<string, Intl.NumberFormat>()

function numberFormatOf(language: string): Intl.NumberFormat {
  let format = numberFormats.get(language)
  if (!format) {
    format = new Intl.NumberFormat(language)
    numberFormats.set(language, format)
  }
  return format
}

// The id of a letter's heading; a link percent-encodes it, and the browser decodes it back.
const letterId = (letter: string) => `letter-${letter}`

/** The fragment that links to a letter on the page it starts on. */
export function letterAnchor(letter: string): string {
  return `#${encodeURIComponent(letterId(letter))}`
}

// The text between the rows: each letter's section opens before its first row and closes
// after its last.
function renderSections(entries: FeedListPage['entries']): string[] {
  const text: string[] = []
  let open = ''
  entries.forEach(({ letter }, index) => {
    const id = letterId(letter)
    if (letter === entries[index - 1]?.letter) text.push('')
    else
      text.push(
        `${open}${html`<section class="letter-group" aria-labelledby="${id}"><h2 id="${id}">${letter}</h2>`.value}\n${FEED_TABLE_OPEN}`,
      )
    open = `${FEED_TABLE_CLOSE}</section>\n`
  })
  text.push(open)
  return text
}

function renderPaging(paging: FeedListPage['paging']): SafeHtml {
  if (paging.pages <= 1) return html``
  return html`<nav class="paging" aria-label="Pages">${paging.previous ? html`<a rel="prev" href="${paging.previous}">Previous page</a> ` : ''}<span>Page ${paging.page} of ${paging.pages}</span>${paging.next ? html` <a rel="next" href="${paging.next}">Next page</a>` : ''}</nav>`
}

/**
 * `/tags/` and `/authors/`: every feed of the kind, alphabetical, paged, under a letter index,
 * each with its article count and files; a filter form (`?q=`) that works without JavaScript,
 * and with it narrows the rows shown as one types. Given as the text around the rows: entry
 * i's row (`renderFeedRow`'s template) goes between `text[i]` and `text[i + 1]`, so that a list
 * can write its rows as bytes from values it keeps (src/lists/rows.ts).
 */
export function renderFeedListPage(page: FeedListPage): string[] {
  const { site } = page
  const what = page.heading.toLowerCase()
  const number = numberFormatOf(site.language)
  const [all, found] = [number.format(page.all), number.format(page.found)]
  const summary = page.query
    ? html`${found} of ${all} ${what} match “${page.query}”. <a href="${page.path}">Show all</a>.`
    : html`${all} ${what}, each a feed of its own.`
  const top = html`<h1>${page.heading}</h1>
<p class="lede">${summary}</p>
<form class="filter" role="search" action="${page.path}" method="get">
<label for="filter">Filter ${what}</label>
<input id="filter" name="q" type="search" value="${page.query}" autocomplete="off" data-filter="entries" aria-describedby="filter-note">
<button type="submit">Search</button>
<p id="filter-note" class="note" aria-live="polite">Typing narrows this page; search looks through all ${all}.</p>
</form>
${page.letters.length > 1 ? html`<nav class="letters" aria-label="Letters">${page.letters.map((l) => html`<a class="letter" href="${l.href}">${l.letter}</a> `)}</nav>` : ''}
<div id="entries">
`
  const bottom = html`</div>
${renderPaging(page.paging)}`
  const [before, after] = renderLayoutAround({
    site,
    title: `${page.heading} · ${site.title}`,
    description: `Every ${what.replace(/s$/, '')} feed of ${site.title}.`,
    discover: [page.siteFeed],
    canonicalUrl: page.canonicalUrl,
  })
  const text = page.entries.length
    ? renderSections(page.entries)
    : [html`<p>No ${what} match.</p>`.value]
  text[0] = `${before}${top.value}${text[0]}`
  text[text.length - 1] = `${text.at(-1)}${bottom.value}${after}`
  return text
}
