// biome-ignore-all lint/suspicious/noExplicitAny: each parser and format has its own loose item shape
import { extractFromJson, extractFromXml } from '@extractus/feed-extractor'
import { parseFeed } from 'feedsmith'
import type { FormatName } from '../../src/render/formats'
import { parseWithFeedparser, parseWithRssParser } from './validators'

/** What a reader must see of each item: identity, headline, link, date and byline. */
export interface SeenItem {
  id: string
  title: string
  link: string
  published: string
  author?: string
}

const iso = (value: unknown): string => new Date(String(value)).toISOString()

/** Universal Feed Parser's view (RSS and Atom). */
export function readWithFeedparser(body: string): SeenItem[] {
  return parseWithFeedparser(body).entries.map((e) => ({
    id: e.id,
    title: e.title,
    link: e.link,
    published: iso(e.published),
    author: e.author ?? '',
  }))
}

/** rss-parser's view (RSS and Atom). */
export async function readWithRssParser(body: string): Promise<SeenItem[]> {
  const feed = await parseWithRssParser(body)
  return (feed.items as unknown as Record<string, unknown>[]).map((item) => ({
    id: String(item.guid ?? item.id),
    title: String(item.title),
    link: String(item.link),
    published: iso(item.isoDate),
    author: String(item['dc:creator'] ?? item.creator ?? item.author),
  }))
}

/** feedsmith's view (all three formats). */
export function readWithFeedsmith(body: string, format: FormatName): SeenItem[] {
  const parsed = parseFeed(format === 'json' ? JSON.parse(body) : body)
  const feed = parsed.feed as any
  if (parsed.format === 'rss')
    return (feed.items ?? []).map((i: any) => ({
      id: i.guid?.value,
      title: i.title,
      link: i.link,
      published: iso(i.pubDate),
      author: i.dc?.creator ?? i.dc?.creators?.[0],
    }))
  if (parsed.format === 'atom')
    return (feed.entries ?? []).map((e: any) => ({
      id: e.id,
      title: e.title?.value ?? e.title,
      link: e.links?.find((l: any) => l.rel === 'alternate')?.href,
      published: iso(e.published),
      author: e.authors?.[0]?.name,
    }))
  return (feed.items ?? []).map((i: any) => ({
    id: i.id,
    title: i.title,
    link: i.url,
    published: iso(i.date_published),
    author: i.authors?.[0]?.name,
  }))
}

/** @extractus/feed-extractor's view (it reports no authors). */
export function readWithExtractor(body: string, format: FormatName): SeenItem[] {
  const feed = format === 'json' ? extractFromJson(JSON.parse(body)) : extractFromXml(body)
  return (feed.entries ?? []).map((e) => ({
    id: String(e.id),
    title: String(e.title),
    link: String(e.link),
    published: iso(e.published),
  }))
}
