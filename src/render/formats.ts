import type { Article, FeedDefinition } from '../model/types'
import { renderAtom, renderAtomEntry } from './atom'
import type { FeedChunks, FeedDocument } from './document'
import { renderJsonFeed, renderJsonItem } from './json-feed'
import { renderRss, renderRssItem } from './rss'

export type FormatName = 'rss' | 'atom' | 'json'

/** One syndication format: its file name, media type and renderers. */
export interface FeedFormat {
  name: FormatName
  /** The last path segment that selects it: `rss.xml`, `atom.xml`, `feed.json`. */
  file: string
  label: string
  /** RFC 4287 §7, RSS Advisory Board and JSON Feed 1.1 media types. */
  mediaType: string
  renderItem(article: Article, base: string): string
  render(doc: FeedDocument, items: readonly string[]): FeedChunks
}

export const FORMATS: readonly FeedFormat[] = [
  {
    name: 'rss',
    file: 'rss.xml',
    label: 'RSS',
    mediaType: 'application/rss+xml',
    renderItem: renderRssItem,
    render: renderRss,
  },
  {
    name: 'atom',
    file: 'atom.xml',
    label: 'Atom',
    mediaType: 'application/atom+xml',
    renderItem: renderAtomEntry,
    render: renderAtom,
  },
  {
    name: 'json',
    file: 'feed.json',
    label: 'JSON Feed',
    mediaType: 'application/feed+json',
    renderItem: renderJsonItem,
    render: renderJsonFeed,
  },
]

/** The format served under a file name, if any. */
export function formatForFile(file: string): FeedFormat | undefined {
  return FORMATS.find((format) => format.file === file)
}

/** Every item fragment of an article, rendered once per content version. */
export function renderFragments(article: Article, base: string): Record<FormatName, string> {
  return Object.fromEntries(FORMATS.map((f) => [f.name, f.renderItem(article, base)])) as Record<
    FormatName,
    string
  >
}

/** The formats a feed is served in: all three, or those its aggregator profile takes. */
export function formatsOf(feed: FeedDefinition): readonly FeedFormat[] {
  const taken = feed.profile?.formats
  return taken
    ? FORMATS.filter((format) => (taken as readonly string[]).includes(format.name))
    : FORMATS
}
