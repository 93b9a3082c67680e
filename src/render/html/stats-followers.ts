import type { FailingInbox, FollowerServer, FollowersOverview } from '../../model/stats'
import { html, type SafeHtml } from './template'

/** The followers section's data: the overview (null when federation is off) and each feed by handle. */
export interface FollowersSection {
  overview: FollowersOverview | null
  /** Each actor's feed title and page, by handle. */
  actors: Map<string, { title: string; pageUrl: string }>
}

/** How the dashboard writes numbers and how many rows a table shows. */
interface Format {
  count: (n: number) => string
  rows: number
}

function actorCell(actors: FollowersSection['actors'], handle: string): SafeHtml {
  const feed = actors.get(handle)
  if (!feed)
    return html`<code>@${handle}</code> <span class="stats-note">(no longer in the catalog)</span>`
  return html`<a href="${feed.pageUrl}">${feed.title}</a> <code>@${handle}</code>`
}

function scrolling(label: string, head: SafeHtml, body: SafeHtml[]): SafeHtml {
  return html`<div class="table-scroll" role="region" aria-label="${label}, scrolls sideways" tabindex="0"><table class="stats">
<thead><tr>${head}</tr></thead>
<tbody>
${body}</tbody></table></div>`
}

function renderServers(servers: FollowerServer[], total: number, f: Format): SafeHtml {
  const rows = servers.slice(0, f.rows)
  const more = total - rows.length
  return html`${scrolling(
    'Table of servers',
    html`<th scope="col">Server</th><th scope="col">People</th><th scope="col">Follows</th><th scope="col">Feeds</th>`,
    rows.map(
      (s) =>
        html`<tr><th scope="row">${s.server}${s.blocked ? html` <mark class="flag">blocked</mark>` : ''}</th><td>${f.count(s.followers)}</td><td>${f.count(s.follows)}</td><td>${s.handles.map((h, i) => html`${i > 0 ? ', ' : ''}<code>@${h}</code>`)}</td></tr>
`,
    ),
  )}${more > 0 ? html`<p class="stats-note">And ${f.count(more)} more servers.</p>` : ''}`
}

function lastFailure(inbox: FailingInbox): string {
  const what =
    inbox.lastStatus === null ? 'no answer (network error or timeout)' : `HTTP ${inbox.lastStatus}`
  return inbox.lastFailedAt === null ? what : `${what}, ${inbox.lastFailedAt}`
}

function renderFailing(failing: FailingInbox[], f: Format): SafeHtml {
  if (failing.length === 0) return html`<p>Every server answers deliveries.</p>`
  return scrolling(
    'Table of failing inboxes',
    html`<th scope="col">Server</th><th scope="col">Inbox</th><th scope="col">Failing since</th><th scope="col">Last failure</th><th scope="col">Pruned from</th>`,
    failing.slice(0, f.rows).map(
      (i) =>
        html`<tr><th scope="row">${i.server}</th><td><code>${i.inbox}</code></td><td>${i.since}</td><td>${lastFailure(i)}</td><td>${i.prunedFrom}</td></tr>
`,
    ),
  )
}

function renderBlocked(blocked: FollowersOverview['blocked'], f: Format): SafeHtml {
  if (blocked.length === 0) return html`<p>site.yaml blocks no server.</p>`
  return html`<ul class="blocked">${blocked.map(
    (b) =>
      html`<li><code>${b.domain}</code>: ${b.follows === 0 ? 'no follows kept' : html`${f.count(b.follows)} follows kept until the next delivery removes them`}</li>`,
  )}</ul>`
}

/**
 * The dashboard's fediverse section: followers per feed and per server, the servers whose
 * deliveries fail and since when, and those site.yaml blocks; or that federation is off.
 */
export function renderFollowers(section: FollowersSection, f: Format): SafeHtml {
  const { overview } = section
  const body = (content: SafeHtml | string) =>
    html`<section aria-labelledby="followers"><h2 id="followers">Followers in the fediverse</h2>
${content}
</section>`
  if (!overview)
    return body(
      html`<p>Federation is off: this Worker has no FEDERATION database and queue, so no feed can be followed from the fediverse.</p>`,
    )
  const { totals } = overview
  if (totals.follows === 0 && overview.failing.length === 0)
    return body(html`<p>No one follows a feed from the fediverse yet.</p>
<h3>Blocked by site.yaml</h3>
${renderBlocked(overview.blocked, f)}`)
  return body(html`<p class="lede"><strong>${f.count(totals.followers)}</strong> people on ${f.count(totals.servers)} servers follow ${f.count(overview.feeds.length)} feeds (${f.count(totals.follows)} follows).</p>
<h3>Per feed</h3>
${scrolling(
  'Table of followers per feed',
  html`<th scope="col">Feed</th><th scope="col">Followers</th>`,
  overview.feeds.slice(0, f.rows).map(
    (feed) =>
      html`<tr><th scope="row">${actorCell(section.actors, feed.handle)}</th><td>${f.count(feed.followers)}</td></tr>
`,
  ),
)}
<h3>Per server</h3>
${renderServers(overview.servers, totals.servers, f)}
<h3>Failing deliveries</h3>
${renderFailing(overview.failing, f)}
<h3>Blocked by site.yaml</h3>
${renderBlocked(overview.blocked, f)}`)
}
