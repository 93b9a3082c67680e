/**
 * What a feed definition that follows an aggregator says of its items: the rules as data. The
 * rules of each aggregator, with their public sources, are in src/profiles/rules.ts.
 */

/** The elements that can carry an item's lead image. */
export const IMAGE_ELEMENTS = ['media:content', 'media:thumbnail', 'enclosure', 'figure'] as const
export type ImageElement = (typeof IMAGE_ELEMENTS)[number]

/** What every standard item carries its lead image in. */
export const STANDARD_IMAGE_ELEMENTS: readonly ImageElement[] = [
  'media:content',
  'enclosure',
  'figure',
]

/**
 * An image requirement of an aggregator. Its credit needs no rule: the model has none without
 * one (content/schema.ts), and every carrier sends it (media:credit, the figure's caption).
 */
export interface ImageRule {
  /** Smallest acceptable size of the image's `side`, in pixels. */
  minPixels: number
  side: 'shortest' | 'longest'
}

/** What one aggregator asks of a feed: which items, how they look, how big they may be. */
export interface ProfileRules {
  /** The feed definition's name (feeds/<id>.yaml), or the aggregator's for its own rules. */
  id: string
  /** The aggregator whose rules these start from (google-news, flipboard, …). */
  aggregator: string
  /** The aggregator, as people call it. */
  name: string
  /** Public pages the rules come from. */
  sources: readonly string[]
  /** Feed formats the aggregator ingests. */
  formats: readonly ('rss' | 'atom')[]
  /** Newest items per feed at most; only items less than `maxAgeDays` days old go in. */
  maxItems: number
  maxAgeDays?: number
  /** Fewer items than this is reported (not enforced: there may simply be fewer articles). */
  minItems?: number
  /** Characters of the title. */
  title?: { min?: number; max?: number }
  /**
   * Characters of the plain-text description: a summary shorter than `min` is extended with
   * the body's opening; one longer than `max` keeps the article out (it is never cut).
   */
  summary?: { min?: number; max?: number }
  /** `false`: a teaser, the description without the article's HTML. Absent: full text. */
  fullText?: boolean
  /** Lead image required with this size; absent: optional. */
  image?: ImageRule
  /** The elements that carry the lead image; absent: media:content, enclosure and figure. */
  imageElements?: readonly ImageElement[]
  /** Only https URLs for the article, its image and what its body embeds. */
  httpsOnly?: boolean
  /** The only HTML elements allowed in item content; absent: the sanitised body as it is. */
  htmlAllowlist?: readonly string[]
  /** Bytes (UTF-8) one item (in its largest format) and one whole feed may take, at most. */
  maxItemBytes?: number
  maxFeedBytes?: number
  /** Characters of article HTML: fewer or more and the aggregator refuses the item. */
  contentChars?: { min: number; max: number }
  /** Channel extensions: Feedly's webfeeds, SmartNews' snf. */
  channel?: 'webfeeds' | 'smartnews'
  /** A WebSub hub is asked for (reported when the site has none). */
  webSub?: boolean
}
