import type { FeedDay, ReaderWeek, StatsOverview } from '../../model/stats'
import type { Site } from '../../model/types'
import { renderLayout } from './layout'
import { type FollowersSection, renderFollowers } from './stats-followers'
import { html, type SafeHtml } from './template'

/** The chart's ranges, in days. */
export const CHART_RANGES = [30, 90, 365] as const
export type ChartRange = (typeof CHART_RANGES)[number]

/** Rows a table shows; the JSON at /api/stats has them all. */
export const TABLE_ROWS = 100

export interface StatsPage {
  site: Site
  canonicalUrl: string
  overview: StatsOverview
  /** Each feed's title and page, by path. */
  feeds: Map<string, { title: string; pageUrl: string }>
  days: ChartRange
  /** Followers in the fediverse; absent, the page has no such section. */
  followers?: FollowersSection
}

const KIND_LABELS: Record<string, string> = {
  web: 'Web reader',
  app: 'Reader app',
  bot: 'Bot',
  other: 'Other',
}

function numbers(site: Site) {
  const format = new Intl.NumberFormat(site.language)
  const percent = new Intl.NumberFormat(site.language, {
    style: 'percent',
    maximumFractionDigits: 0,
  })
  return {
    count: (n: number) => format.format(n),
    share: (part: number, whole: number) => (whole > 0 ? percent.format(part / whole) : '—'),
    bytes: (n: number) => {
      const units = ['B', 'KB', 'MB', 'GB', 'TB']
      let value = n
      let unit = 0
      while (value >= 1000 && unit < units.length - 1) {
        value /= 1000
        unit += 1
      }
      return `${new Intl.NumberFormat(site.language, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value)} ${units[unit]}`
    },
    trend: (now: number, before: number | null) => {
      if (before === null) return '—'
      const change = now - before
      return change === 0 ? '±0' : `${change > 0 ? '+' : '−'}${format.format(Math.abs(change))}`
    },
  }
}

function interval(seconds: number | null): string {
  if (seconds === null) return '—'
  if (seconds === 0) return 'under a minute'
  if (seconds < 3600) return `${seconds / 60} min or more`
  return `${seconds / 3600} h or more`
}

// Round numbers for the axis: 1, 2 or 5 times a power of ten.
function niceStep(max: number, ticks: number): number {
  const rough = Math.max(1, max / ticks)
  const power = 10 ** Math.floor(Math.log10(rough))
  for (const factor of [1, 2, 5, 10]) if (factor * power >= rough) return factor * power
  return 10 * power
}

const WIDTH = 720
const HEIGHT = 240
const LEFT = 72
const RIGHT = 12
const TOP = 12
const BOTTOM = 28

/**
 * Subscribers (and bots, dashed) per day as an inline SVG: no script, no library. The same
 * figures are in the summary beside it and in /api/stats, for anyone the picture fails.
 */
export function renderChart(
  series: StatsOverview['series'],
  days: ChartRange,
  today: string,
  count: (n: number) => string,
): SafeHtml {
  const end = Date.parse(`${today}T00:00:00Z`)
  const start = end - (days - 1) * 86_400_000
  const byDay = new Map(series.map((point) => [point.day, point]))
  const first = series.find((point) => Date.parse(`${point.day}T00:00:00Z`) >= start)
  if (!first)
    return html`<p class="chart-empty">No figures yet: they start with the first poll of a feed.</p>`
  // From the first day with figures: days before statistics began are unknown, not zero.
  const points: { x: number; subscribers: number; bots: number }[] = []
  for (let at = Date.parse(`${first.day}T00:00:00Z`); at <= end; at += 86_400_000) {
    const point = byDay.get(new Date(at).toISOString().slice(0, 10))
    points.push({
      x: (at - start) / 86_400_000,
      subscribers: point?.subscribers ?? 0,
      bots: point?.bots ?? 0,
    })
  }
  const max = Math.max(1, ...points.map((p) => Math.max(p.subscribers, p.bots)))
  const step = niceStep(max, 4)
  const top = Math.ceil(max / step) * step
  const plotWidth = WIDTH - LEFT - RIGHT
  const plotHeight = HEIGHT - TOP - BOTTOM
  const xOf = (x: number) => LEFT + (x / (days - 1)) * plotWidth
  const yOf = (y: number) => TOP + plotHeight - (y / top) * plotHeight
  const line = (key: 'subscribers' | 'bots') =>
    points.map((p) => `${xOf(p.x).toFixed(1)},${yOf(p[key]).toFixed(1)}`).join(' ')
  const grid: number[] = []
  for (let y = 0; y <= top; y += step) grid.push(y)
  const last = points.at(-1) as (typeof points)[number]
  const peak = Math.max(...points.map((p) => p.subscribers))
  const label = `Subscribers per day over the last ${days} days, from ${first.day} to ${today}: ${count(last.subscribers)} today, at most ${count(peak)}.`
  const ticks = [start, start + ((days - 1) / 2) * 86_400_000, end]
  return html`<figure class="chart">
<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="chart-title"><title id="chart-title">${label}</title>
${grid.map(
  (y) =>
    html`<line class="grid" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${yOf(y).toFixed(1)}" y2="${yOf(y).toFixed(1)}"></line><text class="axis" x="${LEFT - 6}" y="${(yOf(y) + 4).toFixed(1)}" text-anchor="end">${count(y)}</text>
`,
)}${ticks.map(
  (at, index) =>
    html`<text class="axis" x="${xOf((at - start) / 86_400_000).toFixed(1)}" y="${HEIGHT - 8}" text-anchor="${['start', 'middle', 'end'][index]}">${new Date(at).toISOString().slice(0, 10)}</text>`,
)}
<polyline class="line bots" points="${line('bots')}"></polyline>
<polyline class="line subscribers" points="${line('subscribers')}"></polyline>
</svg>
<figcaption><span class="key subscribers">Subscribers</span> <span class="key bots">Bots (not counted as subscribers)</span></figcaption>
</figure>`
}

function feedCell(feeds: StatsPage['feeds'], path: string): SafeHtml {
  const feed = feeds.get(path)
  if (!feed)
    return html`<code>/${path}</code> <span class="stats-note">(no longer in the catalog)</span>`
  return html`<a href="${feed.pageUrl}">${feed.title}</a>`
}

// Reports not added: above their reader's cap (outliers), or past the day's rows.
function setAside(feed: { outliers: number; dropped: number }, n: ReturnType<typeof numbers>) {
  const flags = [
    feed.outliers > 0 ? html`<mark class="flag">${n.count(feed.outliers)} above cap</mark>` : '',
    feed.dropped > 0 ? html`<mark class="flag">${n.count(feed.dropped)} past row cap</mark>` : '',
  ].filter((flag) => flag !== '')
  return flags.length > 0 ? html`${flags}` : '—'
}

function renderFeeds(page: StatsPage, n: ReturnType<typeof numbers>): SafeHtml {
  const rows = page.overview.feeds.slice(0, TABLE_ROWS)
  if (rows.length === 0) return html`<p>No feed was polled today yet.</p>`
  const more = page.overview.feeds.length - rows.length
  return html`<div class="table-scroll" role="region" aria-label="Table of feeds today, scrolls sideways" tabindex="0"><table class="stats">
<thead><tr><th scope="col">Feed</th><th scope="col">Subscribers</th><th scope="col">Reported by readers</th><th scope="col">Counted here</th><th scope="col">Set aside</th><th scope="col">Week</th><th scope="col">Polls</th><th scope="col">304</th><th scope="col">Bytes</th><th scope="col">Bots</th></tr></thead>
<tbody>
${rows.map(
  (feed: FeedDay) =>
    html`<tr><th scope="row">${feedCell(page.feeds, feed.feed)}</th><td>${n.count(feed.subscribers)}</td><td>${n.count(feed.reported)}</td><td>${n.count(feed.people)}</td><td>${setAside(feed, n)}</td><td>${n.trend(feed.subscribers, feed.weekAgo)}</td><td>${n.count(feed.polls)}</td><td>${n.share(feed.notModified, feed.polls)}</td><td>${n.bytes(feed.bytes)}</td><td>${n.count(feed.bots)}</td></tr>
`,
)}</tbody></table></div>
${more > 0 ? html`<p class="stats-note">And ${n.count(more)} more feeds polled today, in <a href="/api/stats">/api/stats</a>.</p>` : ''}`
}

function renderReaders(page: StatsPage, n: ReturnType<typeof numbers>): SafeHtml {
  const rows = page.overview.readers.slice(0, TABLE_ROWS)
  if (rows.length === 0) return html`<p>No reader polled a feed in the last seven days.</p>`
  return html`<div class="table-scroll" role="region" aria-label="Table of readers, scrolls sideways" tabindex="0"><table class="stats">
<thead><tr><th scope="col">Reader</th><th scope="col">Kind</th><th scope="col">Subscribers reported today</th><th scope="col">Polls</th><th scope="col">Feeds</th><th scope="col">Median interval</th><th scope="col">Bytes</th></tr></thead>
<tbody>
${rows.map(
  (reader: ReaderWeek) =>
    html`<tr><th scope="row">${reader.reader}</th><td>${KIND_LABELS[reader.kind] ?? reader.kind}</td><td>${reader.subscribers > 0 ? n.count(reader.subscribers) : '—'}</td><td>${n.count(reader.polls)}</td><td>${n.count(reader.feeds)}</td><td>${interval(reader.medianInterval)}</td><td>${n.bytes(reader.bytes)}</td></tr>
`,
)}</tbody></table></div>`
}

function renderSilent(page: StatsPage, n: ReturnType<typeof numbers>): SafeHtml {
  const silent = page.overview.silent
  if (silent.length === 0) return html`<p>Every feed was polled in the last seven days.</p>`
  const shown = silent.slice(0, TABLE_ROWS)
  return html`<p>${n.count(silent.length)} ${silent.length === 1 ? 'feed was' : 'feeds were'} not polled in the last seven days${silent.length > shown.length ? html` (the first ${n.count(shown.length)} here, all in <a href="/api/stats">/api/stats</a>)` : ''}.</p>
<ul class="silent">${shown.map((path) => html`<li>${feedCell(page.feeds, path)}</li>`)}</ul>`
}

/** `/stats/`: who reads the feeds, for the publisher. */
export function renderStatsPage(page: StatsPage): string {
  const { overview, site } = page
  const n = numbers(site)
  const { totals } = overview
  const polls = overview.feeds.reduce((sum, feed) => sum + feed.polls, 0)
  const notModified = overview.feeds.reduce((sum, feed) => sum + feed.notModified, 0)
  const main = html`<div class="stats-head"><h1>Who reads the feeds</h1>
<form method="post" action="/stats/sign-out"><button type="submit">Sign out</button></form></div>
<p class="lede">Today (${overview.today}, UTC, so far): <strong>${n.count(totals.subscribers)}</strong> subscribers: ${n.count(totals.reported)} reported by web readers (their own figures, each within a cap) and ${n.count(totals.people)} individual readers counted here; ${n.count(totals.bots)} bots apart.${totals.outliers + totals.dropped > 0 ? html` <mark class="flag">${n.count(totals.outliers + totals.dropped)} reports set aside</mark> (above a reader’s cap, or past the day’s rows), not added.` : ''} ${n.count(polls)} polls, ${n.share(notModified, polls)} answered 304.</p>
<section aria-labelledby="over-time"><h2 id="over-time">Subscribers over time</h2>
<nav class="ranges" aria-label="Chart range">${CHART_RANGES.map((range) =>
    range === page.days
      ? html`<a aria-current="page" href="/stats/?days=${range}">${range} days</a>`
      : html`<a href="/stats/?days=${range}">${range} days</a>`,
  )}</nav>
${renderChart(overview.series, page.days, overview.today, n.count)}
</section>
<section aria-labelledby="per-feed"><h2 id="per-feed">Feeds today</h2>
${renderFeeds(page, n)}
</section>
<section aria-labelledby="per-reader"><h2 id="per-reader">Readers, last seven days</h2>
${renderReaders(page, n)}
</section>
<section aria-labelledby="silent"><h2 id="silent">Feeds nobody polls</h2>
${renderSilent(page, n)}
</section>
${page.followers ? renderFollowers(page.followers, { count: n.count, rows: TABLE_ROWS }) : ''}
<section aria-labelledby="how"><h2 id="how">How this is counted</h2>
<p>A web reader that says in its User-Agent how many of its users subscribe (Feedly, Inoreader, NewsBlur, Feedbin and others) counts for that number: the largest report of the day per feed id, at most one per address, and never above what that reader could have (a report above its cap is set aside, not added). Any other reader counts once a day per address and reader (not per User-Agent, which anyone can vary), a web service that reports no number once a day. Bots count apart. No address, cookie or identifier is kept: each client is known for one day only, by a hash under a key that changes every day.</p>
</section>`
  return renderLayout(
    {
      site,
      title: `Statistics · ${site.title}`,
      description: 'Who reads the feeds',
      discover: [],
      canonicalUrl: page.canonicalUrl,
    },
    main,
  )
}

/** The sign-in form; `error` after a wrong token. */
export function renderSignInPage(site: Site, canonicalUrl: string, error?: string): string {
  const main = html`<h1>Statistics</h1>
<p class="lede">Sign in with this site's statistics token to see who reads its feeds.</p>
<form class="sign-in" method="post" action="/stats/sign-in">
<label for="token">Statistics token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required${error ? html` aria-invalid="true" aria-describedby="token-error"` : ''}>
${error ? html`<p id="token-error" class="error" role="alert">${error}</p>` : ''}<button type="submit">Sign in</button>
</form>`
  return renderLayout(
    {
      site,
      title: `Sign in · ${site.title}`,
      description: 'Statistics sign-in',
      discover: [],
      canonicalUrl,
    },
    main,
  )
}

/** Statistics are off: only that (what to set is in the Worker's log and the README). */
export function renderStatsOffPage(site: Site, canonicalUrl: string): string {
  const main = html`<h1>Statistics are off</h1>
<p class="lede">This site keeps no statistics of its feeds.</p>`
  return renderLayout(
    {
      site,
      title: `Statistics · ${site.title}`,
      description: 'Statistics are off',
      discover: [],
      canonicalUrl,
    },
    main,
  )
}
