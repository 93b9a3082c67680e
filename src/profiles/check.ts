import type { ProfileRules } from '../model/profile'
import { STANDARD_IMAGE_ELEMENTS } from '../model/profile'
import type { Article, Site } from '../model/types'
import { enclosureOf } from '../render/media-rss'

/** One rule an article (or a whole feed) breaks for one aggregator. */
export interface Violation {
  rule: string
  detail: string
  /** A hard rule leaves the article out of the profile's feed; a soft one is only reported. */
  hard: boolean
}

/** Milliseconds in a day: age rules count whole days. */
export const DAY = 86_400_000

/** Characters as people count them: code points, so an emoji is one, not two. */
const chars = (text: string): number => {
  let n = 0
  for (const _ of text) n += 1
  return n
}

/**
 * The plain-text description a profile sends: the summary, extended with the body's opening
 * text when the aggregator asks for more characters than the summary has. The extension ends
 * at a word boundary past the minimum, or before the maximum when there is one; the editor's
 * own summary is never cut.
 */
export function profileDescription(article: Article, rules: ProfileRules): string {
  const { min, max } = rules.summary ?? {}
  if (!min || chars(article.summary) >= min) return article.summary
  const body = article.text.startsWith(article.summary)
    ? article.text.slice(article.summary.length).trim()
    : article.text
  const extended = Array.from(`${article.summary} ${body}`.trim())
  const end = extended.slice(min).findIndex((c) => /\s/.test(c))
  if (end < 0 && (max === undefined || extended.length <= max)) return extended.join('')
  let cut = end < 0 ? extended.length : min + end
  if (max !== undefined && cut + 1 > max) {
    // Back to the last space that leaves room for the ellipsis; mid-word only if there is none.
    const space = extended.slice(0, max).lastIndexOf(' ')
    cut = space >= min ? space : max - 1
  }
  return `${extended.slice(0, cut).join('')}…`
}

function checkImage(rules: ProfileRules, article: Article): Violation[] {
  const rule = rules.image
  if (!rule) return []
  const image = article.image
  if (!image?.url) {
    const why = image
      ? `the lead image (“${image.alt}”${image.credit ? `, credit ${image.credit}` : ''}) has no URL: no image file is stored`
      : 'the article has no lead image'
    return [
      {
        rule: 'image',
        detail: `${why}; ${rules.name} needs one of at least ${rule.minPixels} px`,
        hard: true,
      },
    ]
  }
  const problems: Violation[] = []
  // An enclosure needs the file's byte length and type; the other elements only a URL.
  const elements = rules.imageElements ?? STANDARD_IMAGE_ELEMENTS
  const carried = elements.filter((e) => e !== 'enclosure' || enclosureOf(article))
  if (carried.length === 0) {
    problems.push({
      rule: 'image-elements',
      detail: `the lead image has no byte length and type for the enclosure, the only element ${rules.name} takes it in`,
      hard: true,
    })
  }
  if (!image.width || !image.height) {
    problems.push({
      rule: 'image-size',
      detail: `the lead image has no width and height; ${rules.name} needs at least ${rule.minPixels} px on its ${rule.side} side`,
      hard: true,
    })
  } else {
    const side =
      rule.side === 'shortest'
        ? Math.min(image.width, image.height)
        : Math.max(image.width, image.height)
    if (side < rule.minPixels) {
      problems.push({
        rule: 'image-size',
        detail: `the lead image is ${image.width}×${image.height}; ${rules.name} needs at least ${rule.minPixels} px on its ${rule.side} side`,
        hard: true,
      })
    }
  }
  return problems
}

function checkText(rules: ProfileRules, article: Article): Violation[] {
  const problems: Violation[] = []
  // Aggregators list items by their headline, and their feeds carry the article's own: an
  // untitled one (a status, a photo) stays in the site's feeds and out of theirs.
  if (!article.title)
    problems.push({
      rule: 'title-missing',
      detail: `the article has no title; ${rules.name} lists items by their headline`,
      hard: true,
    })
  const title = chars(article.title)
  if (article.title && rules.title?.min !== undefined && title < rules.title.min) {
    problems.push({
      rule: 'title-length',
      detail: `the title has ${title} characters; ${rules.name} needs at least ${rules.title.min}`,
      hard: true,
    })
  }
  if (rules.title?.max !== undefined && title > rules.title.max) {
    problems.push({
      rule: 'title-length',
      detail: `the title has ${title} characters; ${rules.name} takes at most ${rules.title.max}`,
      hard: true,
    })
  }
  const description = chars(profileDescription(article, rules))
  const { min, max } = rules.summary ?? {}
  if (min !== undefined && description < min) {
    problems.push({
      rule: 'description-length',
      detail: `the description has ${description} characters, even with the body's opening; ${rules.name} needs at least ${min}`,
      hard: true,
    })
  }
  if (max !== undefined && description > max) {
    problems.push({
      rule: 'description-length',
      detail: `the description has ${description} characters; ${rules.name} takes at most ${max}`,
      hard: true,
    })
  }
  const content = article.contentHtml.length
  if (
    rules.contentChars &&
    (content < rules.contentChars.min || content > rules.contentChars.max)
  ) {
    problems.push({
      rule: 'content-length',
      detail: `the article has ${content} characters of HTML; ${rules.name} takes ${rules.contentChars.min} to ${rules.contentChars.max}`,
      hard: true,
    })
  }
  return problems
}

// What the body loads (images, video, audio): a `src` or `poster` inside a tag. Sanitised HTML
// quotes every attribute and escapes every `<` in text, so `<` starts a real tag.
const EMBEDDED = /<[a-z][^>]*?\s(?:src|poster)="([^"]*)"/g

function checkUrls(rules: ProfileRules, article: Article): Violation[] {
  if (!rules.httpsOnly) return []
  const urls: [string, string | undefined][] = [
    ['the article URL', article.url],
    ['the lead image URL', article.image?.url],
    ...[...article.contentHtml.matchAll(EMBEDDED)].map((match): [string, string | undefined] => [
      'an image or media URL in the body',
      match[1],
    ]),
  ]
  return urls
    .filter(([, url]) => url !== undefined && !url.startsWith('https://'))
    .map(([what, url]) => ({ rule: 'https', detail: `${what} is not https: ${url}`, hard: true }))
}

/**
 * Every rule of `rules` the article breaks, but its age: what is known when the article is
 * stored, whatever the day. `itemBytes` is the size of its largest item in the profile's
 * feeds; `removed` the HTML elements the profile's allowlist took out of its body.
 */
export function checkArticle(
  rules: ProfileRules,
  article: Article,
  itemBytes: number,
  removed: readonly string[] = [],
): Violation[] {
  const problems = [
    ...checkText(rules, article),
    ...checkImage(rules, article),
    ...checkUrls(rules, article),
  ]
  if (removed.length > 0) {
    problems.push({
      rule: 'html-allowlist',
      detail: `${rules.name} takes no ${removed.map((tag) => `<${tag}>`).join(', ')}: removed from the body, their text kept`,
      hard: false,
    })
  }
  if (rules.maxItemBytes !== undefined && itemBytes > rules.maxItemBytes) {
    problems.push({
      rule: 'item-bytes',
      detail: `the item takes ${itemBytes} bytes; ${rules.name} takes at most ${rules.maxItemBytes} per article`,
      hard: true,
    })
  }
  return problems
}

/** The age rule, which depends on the day the feed is served. */
export function checkAge(
  rules: ProfileRules,
  published: string,
  now: number,
): Violation | undefined {
  if (rules.maxAgeDays === undefined) return undefined
  const days = Math.floor((now - Date.parse(published)) / DAY)
  if (days < rules.maxAgeDays) return undefined
  return {
    rule: 'too-old',
    detail: `published ${published.slice(0, 10)}, ${days} days ago; ${rules.name} takes items less than ${rules.maxAgeDays} days old`,
    hard: true,
  }
}

/** Rules about the feed as a whole: channel elements the site lacks, too few items, no hub. */
export function checkChannel(rules: ProfileRules, site: Site, itemCount: number): Violation[] {
  const problems: Violation[] = []
  if (rules.minItems !== undefined && itemCount < rules.minItems) {
    problems.push({
      rule: 'item-count',
      detail: `the feed holds ${itemCount} items; ${rules.name} asks for at least ${rules.minItems}`,
      hard: false,
    })
  }
  if (rules.webSub && !site.hub)
    problems.push({
      rule: 'websub',
      detail: `no websub_hub in site.yaml: ${rules.name} picks up changes instantly only with WebSub`,
      hard: false,
    })
  if (rules.channel === 'smartnews' && !site.logo)
    problems.push({ rule: 'logo', detail: 'no logo in site.yaml for snf:logo', hard: false })
  if (rules.channel === 'webfeeds') {
    if (!site.cover)
      problems.push({
        rule: 'cover',
        detail: 'no cover in site.yaml for webfeeds:cover',
        hard: false,
      })
    if (!site.accentColor)
      problems.push({
        rule: 'accent-color',
        detail: 'no accent_color in site.yaml for webfeeds:accentColor',
        hard: false,
      })
  }
  return problems
}
