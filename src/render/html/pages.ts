import { displayTitle } from '../../model/title'
import type { Article, Author, Category, FeedDefinition, Site, Tag } from '../../model/types'
import { formatDisplayDate, formatRfc3339 } from '../dates'
import { encodePath } from '../document'
import { leadFigureHtml } from '../lead-image'
import { renderAttachments } from './attachments'
import { type FeedEntry, renderFeedRow } from './feed-rows'
import { type FeedLinks, renderLayout, renderSubscribe } from './layout'
import { html, type SafeHtml, trusted } from './template'

/** A group of feeds on the index page; `more` links to the full list when this is a part. */
export interface FeedGroup {
  heading: string
  feeds: FeedEntry[]
  more?: { href: string; text: string }
}

/** An OPML file the index offers, with how many feeds it holds. */
export interface OpmlLink {
  href: string
  text: string
  count: number
}

export interface IndexPage {
  site: Site
  origin: string
  siteFeed: FeedEntry
  groups: FeedGroup[]
  opml: OpmlLink[]
  latest: Article[]
}

function articleHref(article: Article): string {
  return `/articles/${encodePath(article.slug)}/`
}

function renderImage(article: Article): SafeHtml {
  return trusted(leadFigureHtml(article, { lazy: true }))
}

function renderByline(article: Article, language: string): SafeHtml {
  return html`<p class="byline">By <a href="/authors/${encodePath(article.author.slug)}/">${article.author.name}</a> · <time datetime="${formatRfc3339(article.published)}">${formatDisplayDate(article.published, language)}</time></p>`
}

/** The list of a feed's latest items. */
export function renderItems(articles: readonly Article[], language: string): SafeHtml {
  if (articles.length === 0) return html`<p>No articles yet.</p>`
  return html`<ol class="items">
${articles.map(
  (a) => html`<li><article>
<h3><a href="${articleHref(a)}">${displayTitle(a)}</a></h3>
${renderByline(a, language)}
${renderImage(a)}
${a.summary ? html`<p>${a.summary}</p>` : ''}
</article></li>
`,
)}</ol>`
}

/** A table of feeds, with its head row. */
export function renderFeedTable(feeds: readonly FeedEntry[]): SafeHtml {
  return trusted(
    `${FEED_TABLE_OPEN}${feeds.map((feed) => renderFeedRow(feed).value).join('')}${FEED_TABLE_CLOSE}`,
  )
}

/** A feed table's text before its rows (its head row) and after them. */
export const FEED_TABLE_OPEN = `<table class="feeds"><thead><tr><th scope="col">Feed</th><th scope="col">Articles</th><th scope="col">Subscribe</th></tr></thead>
<tbody>
`
export const FEED_TABLE_CLOSE = '</tbody></table>'

function renderGroup(group: FeedGroup, id: string): SafeHtml {
  return html`<section aria-labelledby="${id}"><h2 id="${id}">${group.heading}</h2>
${renderFeedTable(group.feeds)}
${group.more ? html`<p class="more"><a href="${group.more.href}">${group.more.text}</a></p>` : ''}</section>
`
}

function renderOpmlLinks(links: readonly OpmlLink[]): SafeHtml {
  return html`<ul class="opml">${links.map(
    (link) =>
      html`<li><a href="${link.href}" type="text/x-opml">${link.text}</a> (${link.count} ${link.count === 1 ? 'feed' : 'feeds'})</li>`,
  )}</ul>`
}

/** `/`: the site, every feed it offers, and its latest articles. */
export function renderIndexPage(page: IndexPage): string {
  const { site } = page
  const main = html`<h1>${site.title}</h1>
<p class="lede">${site.description}</p>
<section aria-labelledby="everything"><h2 id="everything">Everything</h2>
<p>Every article, ${page.siteFeed.count} so far. Paste this page's address or one of these into your feed reader, or import many feeds at once:</p>
${renderSubscribe(page.siteFeed)}
${renderOpmlLinks(page.opml)}</section>
${page.groups.filter((group) => group.feeds.length > 0).map((group, i) => renderGroup(group, `group-${i}`))}<section aria-labelledby="latest"><h2 id="latest">Latest articles</h2>
${renderItems(page.latest, site.language)}</section>`
  return renderLayout(
    {
      site,
      title: site.title,
      description: site.description,
      discover: [page.siteFeed],
      canonicalUrl: `${page.origin}/`,
    },
    main,
  )
}

export interface FeedPage {
  site: Site
  links: FeedLinks
  articles: Article[]
  /** The author, for an author's page: name, role, bio and profiles. */
  author?: Author
}

function renderAuthor(author: Author): SafeHtml {
  return html`<section class="author" aria-label="About ${author.name}">
${author.avatar ? html`<img src="${author.avatar}" alt="" width="96" height="96">` : ''}
${author.role ? html`<p class="role">${author.role}</p>` : ''}
${author.bio ? html`<p>${author.bio}</p>` : ''}
${author.profiles.length ? html`<ul class="profiles">${author.profiles.map((p) => html`<li><a href="${p.url}" rel="me">${p.network} ${p.handle}</a></li>`)}</ul>` : ''}
</section>`
}

/** `/categories/{slug}/` and the like: one feed's latest items and how to subscribe. */
export function renderFeedPage(page: FeedPage): string {
  const { site, links } = page
  const feed: FeedDefinition = links.feed
  const main = html`<h1>${feed.title}</h1>
<p class="lede">${feed.description}</p>
${page.author ? renderAuthor(page.author) : ''}
<section aria-labelledby="subscribe"><h2 id="subscribe">Subscribe</h2>
<p>Paste this page's address or one of these into your feed reader.</p>
${renderSubscribe(links)}</section>
<section aria-labelledby="latest"><h2 id="latest">Latest articles</h2>
${renderItems(page.articles, site.language)}</section>`
  return renderLayout(
    {
      site,
      title: feed.title,
      description: feed.description,
      discover: [links],
      canonicalUrl: links.pageUrl,
    },
    main,
  )
}

export interface ArticlePage {
  site: Site
  article: Article
  canonicalUrl: string
  siteFeed: FeedLinks
}

function renderTerms(label: string, kind: string, terms: readonly (Category | Tag)[]): SafeHtml {
  if (terms.length === 0) return html``
  return html`<p class="terms">${label}: ${terms.map((t, i) => html`${i ? ', ' : ''}<a href="/${kind}/${encodePath(t.slug)}/">${t.name}</a>`)}</p>`
}

/** `/articles/{slug}/`: the article itself, the target of every item link. */
export function renderArticlePage(page: ArticlePage): string {
  const { site, article } = page
  const image = article.image
  const credit =
    image && !image.url
      ? html`<p class="credit">${image.caption ?? image.alt}${image.credit ? ` (Image credit: ${image.credit})` : ''}</p>`
      : ''
  const main = html`<article>
<h1>${displayTitle(article)}</h1>
${renderByline(article, site.language)}
${renderImage(article)}${credit}
<div class="body">${trusted(article.contentHtml)}</div>
${renderAttachments(article)}${renderTerms('Categories', 'categories', article.categories)}
${renderTerms('Tags', 'tags', article.tags)}
</article>`
  return renderLayout(
    {
      site,
      title: `${displayTitle(article)} · ${site.title}`,
      description: article.summary,
      discover: [page.siteFeed],
      canonicalUrl: page.canonicalUrl,
    },
    main,
  )
}
