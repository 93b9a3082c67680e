/**
 * What a feed item shows beside its text: the lead image (Media RSS, an image enclosure) and
 * the audio and video it carries (RSS enclosures, Atom `rel="enclosure"` links, JSON Feed
 * attachments), read from fast-xml-parser's nodes or a JSON Feed item.
 */
import { plainText, type SourceAttachment, type SourceImage } from './source'

type Node = Record<string, unknown>

const list = <T>(value: unknown): T[] =>
  value === undefined ? [] : Array.isArray(value) ? (value as T[]) : [value as T]

function text(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (typeof value === 'string' || typeof value === 'number') return String(value).trim()
  if (Array.isArray(value)) return value.map(text).join('')
  return text((value as Node)['#text'] ?? '')
}

function count(value: unknown): number | undefined {
  const n = Number(value)
  return Number.isInteger(n) && n > 0 ? n : undefined
}

// Media types by file extension (IANA registrations; opus in Ogg, RFC 7845 §9), for feeds that
// name none: the Guardian's media:content gives only a URL and a width.
const TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  oga: 'audio/ogg',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
  wav: 'audio/wav',
  flac: 'audio/flac',
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  webm: 'video/webm',
  mov: 'video/quicktime',
}

/** The media type a URL's file extension names, or undefined. */
export function typeFromUrl(url: string): string | undefined {
  try {
    const extension = /\.([a-z0-9]+)$/i.exec(new URL(url).pathname)?.[1]
    return extension ? TYPES[extension.toLowerCase()] : undefined
  } catch {
    return undefined
  }
}

// The declared type when it says what the file is, else the one its extension names.
function typeOf(declared: unknown, url: string): string | undefined {
  const type = String(declared ?? '')
    .trim()
    .toLowerCase()
  return /^(?:image|audio|video)\//.test(type) ? type : typeFromUrl(url)
}

/** `value` made absolute against `base`; undefined when it is not then an http(s) URL. */
export function absolute(value: unknown, base: string | undefined): string | undefined {
  const raw = String(value ?? '').trim()
  if (!raw) return undefined
  try {
    const url = new URL(raw, base)
    return /^https?:$/.test(url.protocol) ? url.href : undefined
  } catch {
    return undefined
  }
}

interface Candidate {
  node: Node
  /** The media:group around it, whose description and credit it shares. */
  group?: Node
}

// Media RSS (rssboard.org/media-rss): media:content at the item or in a media:group, then
// media:thumbnail, then an image enclosure.
function candidates(item: Node): Candidate[] {
  const groups = list<Node>(item['media:group'])
  return [
    ...list<Node>(item['media:content']).map((node) => ({ node })),
    ...groups.flatMap((group) =>
      list<Node>(group['media:content']).map((node) => ({ node, group })),
    ),
    ...list<Node>(item['media:thumbnail']).map((node) => ({ node })),
    ...groups.flatMap((group) =>
      list<Node>(group['media:thumbnail']).map((node) => ({ node, group })),
    ),
    ...list<Node>(item.enclosure).map((node) => ({ node })),
    ...list<Node>(item.link)
      .filter((l) => l['@rel'] === 'enclosure')
      .map((node) => ({ node })),
  ]
}

const urlOf = (node: Node) => node['@url'] ?? node['@href']

function isImage({ node }: Candidate, base: string | undefined): boolean {
  const url = absolute(urlOf(node), base)
  const medium = String(node['@medium'] ?? '')
  if (!url || (medium && medium !== 'image')) return false
  return typeOf(node['@type'], url)?.startsWith('image/') ?? medium === 'image'
}

/**
 * The lead image of a feed item: the widest of its Media RSS images and image enclosures (the
 * first when none says its width), with its description and credit.
 */
export function leadImage(item: Node, base: string | undefined): SourceImage | undefined {
  const images = candidates(item).filter((c) => isImage(c, base))
  let chosen = images[0]
  for (const image of images)
    if ((count(image.node['@width']) ?? 0) > (count(chosen?.node['@width']) ?? 0)) chosen = image
  if (!chosen) return undefined
  const { node, group } = chosen
  const url = absolute(urlOf(node), base) as string
  const from = (name: string) => plainText(text(node[name] ?? group?.[name] ?? item[name] ?? ''))
  const description = from('media:description')
  const credit = from('media:credit')
  const type = typeOf(node['@type'], url)
  return {
    url,
    ...(description ? { alt: description } : {}),
    ...(credit ? { credit } : {}),
    ...(count(node['@width']) ? { width: count(node['@width']) as number } : {}),
    ...(count(node['@height']) ? { height: count(node['@height']) as number } : {}),
    ...(type ? { type } : {}),
  }
}

/** Seconds of an iTunes duration: `HH:MM:SS`, `MM:SS` or seconds. */
export function durationOf(value: string): number | undefined {
  if (!/^\d+(?::\d{1,2}){0,2}(?:\.\d+)?$/.test(value.trim())) return undefined
  const seconds = value
    .trim()
    .split(':')
    .reduce((total, part) => total * 60 + Number(part), 0)
  return Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds) : undefined
}

/** What a feed's item carries beside its image: audio and video, and files of other kinds. */
export interface Carried {
  attachments: SourceAttachment[]
  /** Enclosures neither audio, video nor an image: reported, as they are not carried over. */
  other: number
}

// Each distinct URL once, in the order given.
function distinct(attachments: SourceAttachment[]): SourceAttachment[] {
  const seen = new Set<string>()
  return attachments.filter((a) => !seen.has(a.url) && seen.add(a.url))
}

function attachment(
  url: string | undefined,
  declared: unknown,
  fields: { length?: unknown; duration?: number | undefined; title?: unknown },
): SourceAttachment | 'image' | 'other' | undefined {
  if (!url) return undefined
  const type = typeOf(declared, url)
  if (type?.startsWith('image/')) return 'image'
  if (!type || !/^(?:audio|video)\//.test(type)) return 'other'
  const length = count(fields.length)
  const title = plainText(text(fields.title))
  return {
    url,
    type,
    ...(length ? { length } : {}),
    ...(fields.duration ? { duration: fields.duration } : {}),
    ...(title ? { title } : {}),
  }
}

function carried(found: ReturnType<typeof attachment>[]): Carried {
  const attachments = found.filter((a): a is SourceAttachment => typeof a === 'object')
  return { attachments: distinct(attachments), other: found.filter((a) => a === 'other').length }
}

/**
 * Audio and video of an RSS item or Atom entry: `<enclosure>` (RSS 2.0), `link
 * rel="enclosure"` (RFC 4287 §4.2.7.2) and Media RSS audio and video. FeedBurner's
 * `origEnclosureLink` is the file itself behind its tracking URL.
 */
export function xmlAttachments(item: Node, base: string | undefined): Carried {
  const duration = durationOf(text(item['itunes:duration']))
  const enclosures = list<Node>(item.enclosure)
  const original = absolute(text(item['feedburner:origEnclosureLink']), base)
  const found = [
    ...enclosures.map((e) =>
      attachment(
        enclosures.length === 1 && original ? original : absolute(e['@url'], base),
        e['@type'],
        { length: e['@length'], duration },
      ),
    ),
    ...list<Node>(item.link)
      .filter((l) => l['@rel'] === 'enclosure')
      .map((l) =>
        attachment(absolute(l['@href'], base), l['@type'], {
          length: l['@length'],
          duration,
          title: l['@title'],
        }),
      ),
    ...[
      ...list<Node>(item['media:content']),
      ...list<Node>(item['media:group']).flatMap((g) => list<Node>(g['media:content'])),
    ]
      .filter((m) => m['@medium'] === 'audio' || m['@medium'] === 'video')
      .map((m) =>
        attachment(absolute(m['@url'], base), m['@type'], {
          length: m['@fileSize'],
          duration: count(m['@duration']) ?? duration,
        }),
      ),
  ]
  return carried(found)
}

/** Audio and video of a JSON Feed item (JSON Feed 1.1 `attachments`). */
export function jsonAttachments(item: Node, base: string | undefined): Carried {
  return carried(
    list<Node>(item.attachments).map((a) =>
      attachment(absolute(a.url, base), a.mime_type, {
        length: a.size_in_bytes,
        duration: count(a.duration_in_seconds),
        title: a.title,
      }),
    ),
  )
}
