import type { ProfileRules } from './profile'

/** The publisher: one per deployment, from `content/site.yaml`. */
export interface Site {
  title: string
  description: string
  /** Absolute origin (and optional base path) of the public site, no trailing slash. */
  url: string
  /** BCP 47 language tag, e.g. `en-US`. */
  language: string
  copyright: string
  logo?: string
  icon?: string
  favicon?: string
  /** Items in a feed when the request names no `limit`. */
  defaultItems: number
  /** The most items one feed response may hold. */
  maxItems: number
  /** `Cache-Control: max-age` for feeds and pages, in seconds. */
  maxAge: number
  staleWhileRevalidate: number
  staleIfError: number
  /** WebSub hub URL, when the publisher uses one. */
  hub?: string
  /** Feedly's webfeeds:cover image, and the accent colour (hex, no #) of its webfeeds. */
  cover?: string
  accentColor?: string
  /** How feeds federate (site.yaml `federation:`); absent, the defaults of FederationSettings. */
  federation?: FederationSettings
}

/** site.yaml `federation:`: what followers in the fediverse are sent, and who is refused. */
export interface FederationSettings {
  /** The type of each story's object: `Note` (the default) or `Article`. */
  objectType: 'Note' | 'Article'
  /** Servers (lowercase domains; their subdomains too) refused and never delivered to. */
  blocked: string[]
}

/** A social profile of an author. */
export interface Profile {
  network: string
  handle: string
  url: string
}

export interface Author {
  slug: string
  name: string
  role?: string
  /** Absent when the source has none (an author moved in from another CMS). */
  bio?: string
  url: string
  avatar?: string
  profiles: Profile[]
}

export interface Category {
  slug: string
  name: string
  description: string
}

export interface Tag {
  slug: string
  name: string
}

/**
 * The lead image. `url` is absent when only its description and credit are known; `credit` is
 * absent when the source names none (an image moved in from another CMS).
 */
export interface LeadImage {
  url?: string
  alt: string
  caption?: string
  credit?: string
  width?: number
  height?: number
  type?: string
  length?: number
}

/**
 * A file the article offers (a podcast episode, a video, a PDF): RSS `<enclosure>`, Atom
 * `rel="enclosure"`, JSON Feed `attachments`. `length` (bytes) and `duration` (seconds) only
 * when really known.
 */
export interface Attachment {
  /** Absolute http(s) URL. */
  url: string
  /** MIME type, `type/subtype`, lowercase. */
  type: string
  length?: number
  duration?: number
  /** Plain text. */
  title?: string
}

/** An article as every renderer sees it: validated, absolute URLs, sanitised HTML. */
export interface Article {
  /** Stable identity, a URI assigned once (`urn:uuid:…`); never derived from title or slug. */
  id: string
  slug: string
  url: string
  /** Plain text; `''` for an untitled article (model/title.ts says what stands in for it). */
  title: string
  /** Plain text; `''` only when the article has nothing to summarise. */
  summary: string
  /** Sanitised HTML with absolute URLs. */
  contentHtml: string
  /** Plain text of the body's paragraphs from the start (about 2,000 characters at most). */
  text: string
  /** RFC 3339 instants in UTC. */
  published: string
  updated: string
  author: Author
  categories: Category[]
  tags: Tag[]
  image?: LeadImage
  attachments?: Attachment[]
}

/** Which articles a feed holds: every article (site) or any-of the listed slugs. */
export interface FeedFilter {
  categories: string[]
  tags: string[]
  authors: string[]
}

/** A feed newswire serves, identified by its path without the format file name. */
export interface FeedDefinition {
  /** `''` for the site, `categories/security`, `feeds/top-stories`, … */
  path: string
  kind: 'site' | 'category' | 'author' | 'tag' | 'curated'
  /** What it is called in lists (`Security`); `title` is what readers show (`Site: Security`). */
  name: string
  title: string
  description: string
  filter: FeedFilter
  /** Upper bound of items per response for this feed. */
  maxItems: number
  /** The aggregator rules this feed follows (src/profiles/rules.ts, with its overrides). */
  profile?: ProfileRules
}
