import type { ProfileRules } from '../model/profile'

/** What a feed definition may change of its aggregator's rules (`rules:` in its YAML). */
export type ProfileOverrides = Partial<
  Pick<
    ProfileRules,
    | 'maxAgeDays'
    | 'title'
    | 'summary'
    | 'fullText'
    | 'image'
    | 'imageElements'
    | 'httpsOnly'
    | 'htmlAllowlist'
    | 'maxItemBytes'
    | 'maxFeedBytes'
  >
>

/** The rules of feed definition `id`: its aggregator's, with what the definition overrides. */
export function defineProfile(
  aggregator: ProfileRules,
  id: string,
  overrides: ProfileOverrides = {},
): ProfileRules {
  return {
    ...aggregator,
    ...overrides,
    id,
    ...(overrides.title ? { title: { ...aggregator.title, ...overrides.title } } : {}),
    ...(overrides.summary ? { summary: { ...aggregator.summary, ...overrides.summary } } : {}),
  }
}

// Each rule below names the public page it comes from. Rules marked "unverified" are the
// aggregator's widely repeated guidance that no first-party page we could read states.

/** Google News: technical feed requirements (Publisher Center). */
export const GOOGLE_NEWS: ProfileRules = {
  id: 'google-news',
  aggregator: 'google-news',
  name: 'Google News',
  sources: [
    'https://support.google.com/news/publisher-center/answer/9545420', // RSS and Atom; 1 MB per article, 2 MB per feed; 60 new articles per fetch; WebSub
    'https://support.google.com/news/publisher-center/answer/9545414', // a valid feed; updates instantly with WebSub
  ],
  formats: ['rss', 'atom'],
  maxItems: 60,
  maxItemBytes: 1_000_000,
  maxFeedBytes: 2_000_000,
  webSub: true,
}

/** Flipboard: RSS specification for publishers. */
export const FLIPBOARD: ProfileRules = {
  id: 'flipboard',
  aggregator: 'flipboard',
  name: 'Flipboard',
  sources: [
    'https://flipboard.helpshift.com/hc/en/1-flipboard/faq/1023-resubmit-an-rss-feed/', // description of 300+ characters; image's smallest side 500 px; the 20 most recent items
    'https://about.flipboard.com/rss-spec/', // dc:creator; full HTML in content:encoded; pubDate with a time zone
  ],
  formats: ['rss'],
  maxItems: 50,
  minItems: 20,
  summary: { min: 300 },
  image: { minPixels: 500, side: 'shortest' },
}

/** MSN (Microsoft Start partner hub). */
export const MSN: ProfileRules = {
  id: 'msn',
  aggregator: 'msn',
  name: 'MSN',
  sources: [
    'https://support.microsoft.com/ja-jp/topic/msn-feed-item-metadata-requirements-0114c19c-36bb-4fef-8322-4a1ed6888329', // durable GUID; title more than 20, at most 150 characters; less than 365 days old
    'https://support.microsoft.com/th-th/topic/msn-feed-setup-and-configuration-16ea6c2b-d51c-48a5-9ba4-4c3f8ed76c97', // HTTPS only; feed at most 10 MB; fewer than 30 fresh items
    'https://support.microsoft.com/zh-tw/topic/troubleshoot-msn-content-ingestion-and-feed-errors-55651a8b-7594-4a41-9666-5a2fd9906861', // 450 to 500,000 characters per article
    // Images at least 720 px in height or width: "recommended" there, enforced here, since a
    // smaller lead image is shown small or not at all.
    'https://helpcenter.microsoftstart.com/kb/feed-specifications',
    'https://support.microsoft.com/ko-kr/topic/troubleshoot-msn-publishing-quality-and-formatting-errors-89fd2448-e8e9-4a5c-aac8-5c8979ec2343', // uncredited images reduce visibility
  ],
  // support.microsoft.com serves one topic in every locale under the same id; these are the
  // editions we could read (en-us has the same address with its locale).
  formats: ['rss'],
  maxItems: 29,
  maxAgeDays: 365,
  title: { min: 21, max: 150 },
  httpsOnly: true,
  image: { minPixels: 720, side: 'longest' },
  contentChars: { min: 450, max: 500_000 },
  // "Under 10 MB".
  maxFeedBytes: 9_999_999,
}

/** SmartNews: SmartFormat (2.1, and 2.2 for the channel's required elements). */
export const SMARTNEWS: ProfileRules = {
  id: 'smartnews',
  aggregator: 'smartnews',
  name: 'SmartNews',
  sources: [
    'https://publishers.smartnews.com/hc/en-us/articles/360036526213-SmartFormat-Specification-Version-2-1', // snf:logo; UTF-8; 1 MB per file (recommended, enforced here) and the HTML allowlist (Japanese edition)
    'https://publishers.smartnews.com/hc/en-us/articles/56500436151065', // version 2.2: channel pubDate and language required
    'https://publishers.smartnews.com/hc/en-us/articles/360022906393', // ttl
  ],
  formats: ['rss'],
  maxItems: 50,
  channel: 'smartnews',
  imageElements: ['media:content', 'media:thumbnail', 'enclosure', 'figure'],
  maxFeedBytes: 1_000_000,
  // The first-party list as far as we could read it, cut to elements article bodies use.
  htmlAllowlist: [
    'a',
    'abbr',
    'b',
    'blockquote',
    'br',
    'caption',
    'cite',
    'code',
    'em',
    'figcaption',
    'figure',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'i',
    'img',
    'li',
    'ol',
    'p',
    'pre',
    'small',
    'strong',
    'sub',
    'sup',
    'table',
    'tbody',
    'td',
    'th',
    'thead',
    'tr',
    'ul',
  ],
}

/** Feedly: webfeeds (unverified: no first-party page was readable; third-party use only). */
export const FEEDLY: ProfileRules = {
  id: 'feedly',
  aggregator: 'feedly',
  name: 'Feedly',
  sources: ['https://github.com/jekyll/jekyll-feed/pull/338'], // webfeeds namespace, cover, icon, logo, accentColor as implemented elsewhere
  formats: ['rss'],
  maxItems: 50,
  channel: 'webfeeds',
}

/** Every aggregator profile a feed definition may name with `profile:`. */
export const PROFILES: Readonly<Record<string, ProfileRules>> = Object.fromEntries(
  [GOOGLE_NEWS, FLIPBOARD, MSN, SMARTNEWS, FEEDLY].map((rules) => [rules.id, rules]),
)

/** The rules of every feed definition that follows an aggregator profile. */
export function profilesUsed(feeds: readonly { profile?: ProfileRules }[]): ProfileRules[] {
  return feeds.flatMap((feed) => (feed.profile ? [feed.profile] : []))
}
