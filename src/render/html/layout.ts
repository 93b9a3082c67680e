import type { FeedDefinition, Site } from '../../model/types'
import type { FeedFormat } from '../formats'
import { html, type SafeHtml } from './template'

/** A feed as a page lists it: its definition and where its files are. */
export interface FeedLinks {
  feed: FeedDefinition
  /** Absolute URL of the feed's HTML page. */
  pageUrl: string
  /** The feed's files: each format it is served in, with its absolute URL. */
  files: { format: FeedFormat; url: string }[]
  /** `@handle@host`, when the feed can be followed from the fediverse (federation is on). */
  handle?: string
}

export interface Layout {
  site: Site
  title: string
  description: string
  /** Feeds announced with `<link rel="alternate">` autodiscovery (WHATWG HTML §4.6.7.1). */
  discover: FeedLinks[]
  canonicalUrl: string
}

function autodiscovery(links: FeedLinks): SafeHtml {
  return html`${links.files.map(
    ({
      format,
      url,
    }) => html`<link rel="alternate" type="${format.mediaType}" title="${links.feed.title} (${format.label})" href="${url}">
`,
  )}`
}

/** The page around every view: landmarks, autodiscovery, our stylesheet and script only. */
export function renderLayout(layout: Layout, main: SafeHtml): string {
  const [before, after] = renderLayoutAround(layout)
  return `${before}${main.value}${after}`
}

/** The layout as the text before a page's main content and the text after it. */
export function renderLayoutAround(layout: Layout): [string, string] {
  const before = html`<!doctype html>
<html lang="${layout.site.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${layout.title}</title>
<meta name="description" content="${layout.description}">
<link rel="canonical" href="${layout.canonicalUrl}">
<link rel="stylesheet" href="/assets/site.css">
<link rel="icon" type="image/png" href="/assets/favicon-64.png">
<link rel="apple-touch-icon" href="/assets/apple-touch-icon.png">
${layout.discover.map(autodiscovery)}<script src="/assets/site.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="masthead"><a href="/" class="brand">${layout.site.title}</a> <span class="tagline">feeds</span></header>
<main id="main">
`
  const after = html`
</main>
<footer class="colophon"><p>${layout.site.copyright}</p><p><a href="/feeds.opml">Feeds as OPML</a> · <a href="/tags/">Tags</a> · <a href="/authors/">Authors</a></p></footer>
</body>
</html>
`
  return [before.value, after.value]
}

// The handle to paste into Mastodon's search (or Misskey's, Threads'), copied by the same
// script as the feed addresses: no inline code, so the page CSP is unchanged.
function fediverseLine(links: FeedLinks): SafeHtml | string {
  if (!links.handle) return ''
  return html`<li class="fediverse"><span class="format">Follow on Mastodon</span><code>${links.handle}</code><button type="button" class="copy" data-copy="${links.handle}" aria-label="Copy the fediverse handle of ${links.feed.name}">Copy</button></li>
`
}

/**
 * The subscribe box: each format's address, a link to it and a button that copies it; and the
 * feed's fediverse handle when it can be followed there.
 */
export function renderSubscribe(links: FeedLinks): SafeHtml {
  return html`<ul class="subscribe" aria-label="Subscribe to ${links.feed.title}">
${links.files.map(
  ({
    format,
    url,
  }) => html`<li><a class="format" href="${url}" type="${format.mediaType}">${format.label}</a><code>${url}</code><button type="button" class="copy" data-copy="${url}" aria-label="Copy the ${format.label} address of ${links.feed.name}">Copy</button></li>
`,
)}${fediverseLine(links)}</ul>`
}
