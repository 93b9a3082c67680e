/** The NodeInfo schema this server describes itself with (nodeinfo.diaspora.software). */
export const NODEINFO_SCHEMA = 'http://nodeinfo.diaspora.software/ns/schema/2.1'

/** `/.well-known/nodeinfo`: where the NodeInfo document is (NodeInfo protocol §discovery). */
export function renderNodeInfoLinks(origin: string): Record<string, unknown> {
  return { links: [{ rel: NODEINFO_SCHEMA, href: `${origin}/nodeinfo/2.1` }] }
}

/**
 * The NodeInfo 2.1 document: software, protocols, and usage. Actors are feeds, not people, so
 * `users` counts none: Mastodon's and FediDB's user figures stay honest.
 */
export function renderNodeInfo(options: {
  version: string
  title: string
}): Record<string, unknown> {
  return {
    version: '2.1',
    software: { name: 'newswire', version: options.version },
    protocols: ['activitypub'],
    services: { inbound: [], outbound: ['atom1.0', 'rss2.0'] },
    openRegistrations: false,
    usage: { users: { total: 0, activeMonth: 0, activeHalfyear: 0 } },
    metadata: { nodeName: options.title },
  }
}
