/**
 * The readers that poll feeds, known by their User-Agent: a table of data, first match wins.
 * Each entry carries real User-Agent strings (`examples`, from the reader's own documentation,
 * source or published access logs: `source` says where) that tests/stats/readers.test.ts
 * checks it against, so adding a reader is adding one entry and its example.
 *
 * Kinds:
 * - `web`: a service that polls once for many people. Those that report how many subscribe
 *   (`counts`) are counted by their report; those that do not count as one subscriber a day.
 * - `app`: one person's reader (desktop, mobile, self-hosted): one client, one subscriber.
 * - `bot`: crawlers, link previews, aggregators without subscribers, HTTP libraries: counted
 *   apart, never as subscribers.
 * - `other`: anything else (a browser, an unknown client): counted like an app.
 *
 * Order matters where one User-Agent quotes another: Feedly, Feedspot and FeedHQ say "like
 * FeedFetcher-Google", older FreshRSS "like Googlebot", NewsBlur embeds a Safari string and,
 * for Tumblr feeds, says facebookexternalhit; so services come before the crawlers and
 * browsers they quote.
 */

export type ReaderKind = 'web' | 'app' | 'bot' | 'other'

export interface Reader {
  /** Shown on the dashboard and stored with the counts. */
  name: string
  kind: ReaderKind
  pattern: RegExp
  /** Whether its User-Agent reports a subscriber count (`N subscribers`, `N readers`). */
  counts?: boolean
  /** Real User-Agents it sends. */
  examples: string[]
  /** Where the examples come from. */
  source: string
}

const DEVICE_DETECTOR = 'matomo-org/device-detector, Tests/fixtures (bots.yml, feed_reader.yml)'
const CRAWLER_LIST = 'monperrus/crawler-user-agents, crawler-user-agents.json'

export const READERS: readonly Reader[] = [
  // Web readers that report their subscribers.
  {
    name: 'Feedly',
    kind: 'web',
    counts: true,
    pattern: /^Feedly\/|FeedlyBot\/|FeedlyApp\/|MetaFeedly\/|s~feedly-/,
    examples: [
      'Feedly/1.0 (+http://www.feedly.com/fetcher.html; 134 subscribers; )',
      'Feedly/1.0 (+http://www.feedly.com/fetcher.html; like FeedFetcher-Google)',
      'FeedlyBot/1.0 (http://feedly.com)',
    ],
    source: `https://docs.buttondown.com/rss-subscribers; ${DEVICE_DETECTOR}`,
  },
  {
    name: 'Inoreader',
    kind: 'web',
    counts: true,
    pattern: /inoreader/i,
    examples: [
      'Inoreader/1.0 (+http://www.inoreader.com/feed-fetcher; 3 subscribers; )',
      'Mozilla/5.0 (compatible; inoreader.com; 114 subscribers)',
    ],
    source: `https://www.inoreader.com/feed-fetcher; ${DEVICE_DETECTOR}`,
  },
  {
    name: 'NewsBlur',
    kind: 'web',
    counts: true,
    pattern: /NewsBlur (?:Feed|Page|Favicon) Fetcher|NewsBlur Feed Finder/,
    examples: [
      'NewsBlur Feed Fetcher - 27 subscribers - https://www.newsblur.com/site/7704055/rendezvous-with-cassidoo ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/14.0.1 Safari/605.1.15")',
      'NewsBlur Page Fetcher - 7 subscribers - http://www.newsblur.com/site/3966817/analytics-piwik ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_8_3) AppleWebKit/536.28.10 (KHTML, like Gecko) Version/6.0.3 Safari/536.28.10")',
    ],
    source:
      'samuelclay/NewsBlur, apps/rss_feeds/models.py (Feed.user_agent); https://docs.buttondown.com/rss-subscribers',
  },
  {
    name: 'Feedbin',
    kind: 'web',
    counts: true,
    pattern: /^Feedbin\b/,
    examples: ['Feedbin feed-id:1306543 - 3 subscribers', 'Feedbin - 9 subscribers'],
    source: `https://docs.buttondown.com/rss-subscribers; ${DEVICE_DETECTOR}`,
  },
  {
    name: 'The Old Reader',
    kind: 'web',
    counts: true,
    pattern: /theoldreader\.com/,
    examples: [
      'Mozilla/5.0 (compatible; theoldreader.com; 1 subscribers; feed-id=cead6c3a837650eeefd8fe4a)',
      'Mozilla/5.0 (compatible; theoldreader.com)',
    ],
    source: `https://docs.buttondown.com/rss-subscribers; ${DEVICE_DETECTOR}`,
  },
  {
    name: 'BazQux',
    kind: 'web',
    counts: true,
    pattern: /BazQux\//,
    examples: ['Mozilla/5.0 (compatible; BazQux/2.4; +https://bazqux.com/fetcher; 1 subscribers)'],
    source: `https://docs.buttondown.com/rss-subscribers; ${DEVICE_DETECTOR}`,
  },
  {
    name: 'Netvibes',
    kind: 'web',
    counts: true,
    pattern: /Netvibes/,
    examples: [
      'Netvibes (http://www.netvibes.com/; 8 subscribers; feedID: 2244192)',
      'Netvibes (crawler; http://www.netvibes.com)',
    ],
    source: DEVICE_DETECTOR,
  },
  {
    name: 'Bloglovin',
    kind: 'web',
    counts: true,
    pattern: /Bloglovin\//,
    examples: ['Bloglovin/1.0 (http://www.bloglovin.com; 1 subscribers)'],
    source: DEVICE_DETECTOR,
  },
  {
    name: 'Feed Wrangler',
    kind: 'web',
    counts: true,
    pattern: /^Feed Wrangler\//,
    examples: [
      'Feed Wrangler/1.0 (3 subscribers; feed-id=248559; http://feedwrangler.net; Allow like Gecko)',
    ],
    source: DEVICE_DETECTOR,
  },
  {
    name: 'FeedHQ',
    kind: 'web',
    counts: true,
    pattern: /^FeedHQ\//,
    examples: [
      'FeedHQ/X.Y.Z (https://github.org/feedhq/feedhq; 1 subscriber; https://github.com/feedhq/feedhq/wiki/User-Agent; like FeedFetcher-Google)',
    ],
    source: 'https://github.com/feedhq/feedhq/wiki/User-Agent',
  },
  {
    name: 'Google Feedfetcher',
    kind: 'web',
    counts: true,
    pattern: /^Feedfetcher-Google;/i,
    examples: [
      'Feedfetcher-Google; (+http://www.google.com/feedfetcher.html; 19 subscribers; feed-id=13965549748850348809)',
      'FeedFetcher-Google; (+http://www.google.com/feedfetcher.html)',
    ],
    source: `${DEVICE_DETECTOR}; ${CRAWLER_LIST}`,
  },
  {
    name: 'Overcast',
    kind: 'web',
    counts: true,
    pattern: /^Overcast\//,
    examples: ['Overcast/1.0 Podcast Sync (123 subscribers; feed-id=456789; +http://overcast.fm/)'],
    source: `${DEVICE_DETECTOR}; https://podinfra.net/app-developers/rss-scrapers.html`,
  },
  {
    name: 'LiveJournal',
    kind: 'web',
    counts: true,
    pattern: /^LiveJournal\.com /,
    examples: [
      'LiveJournal.com (webmaster@livejournal.com; for https://www.livejournal.com/users/example/; 1 readers)',
    ],
    source: DEVICE_DETECTOR,
  },
  {
    name: 'Dreamwidth',
    kind: 'web',
    counts: true,
    pattern: /^Dreamwidth Studios /,
    examples: [
      'Dreamwidth Studios (webmaster@dreamwidth.org; for https://www.dreamwidth.org/users/vikingschoice_feed/; 2 readers)',
    ],
    source: 'https://docs.buttondown.com/rss-subscribers',
  },
  // Web readers and services that report no count.
  {
    name: 'Feedspot',
    kind: 'web',
    pattern: /Feedspot/,
    examples: [
      'Mozilla/5.0 (compatible; Feedspot/1.0 (+https://www.feedspot.com/fs/fetcher; like FeedFetcher-Google)',
      'Mozilla/5.0 (compatible; Feedspotbot/1.0; +http://www.feedspot.com/fs/bot)',
    ],
    source: `${CRAWLER_LIST}; ${DEVICE_DETECTOR}`,
  },
  {
    name: 'Superfeedr',
    kind: 'web',
    pattern: /^Superfeedr bot\//,
    examples: [
      'Superfeedr bot/2.0 http://superfeedr.com - Make your feeds realtime: get in touch - feed-id:1162088860',
    ],
    source: CRAWLER_LIST,
  },
  {
    name: 'CommaFeed',
    kind: 'web',
    pattern: /^CommaFeed\//,
    examples: ['CommaFeed/1.0 (http://www.commafeed.com)'],
    source: DEVICE_DETECTOR,
  },
  {
    name: 'Blogtrottr',
    kind: 'web',
    pattern: /^Blogtrottr\//,
    examples: ['Blogtrottr/2.0'],
    source: DEVICE_DETECTOR,
  },
  {
    name: 'WordPress.com Reader',
    kind: 'web',
    pattern: /^wp\.com feedbot\//,
    examples: ['wp.com feedbot/1.0 (+https://wp.com)'],
    source: CRAWLER_LIST,
  },
  {
    name: 'Flipboard',
    kind: 'web',
    pattern: /Flipboard(?:Proxy|RSS)\//,
    examples: [
      'Mozilla/5.0 (compatible; FlipboardProxy/1.2; +http://flipboard.com/browserproxy)',
      'Mozilla/5.0 (compatible; FlipboardRSS/1.2; +http://flipboard.com/browserproxy)',
    ],
    source: `${DEVICE_DETECTOR}; ${CRAWLER_LIST}`,
  },
  // One person's reader: self-hosted, desktop, mobile.
  {
    name: 'Miniflux',
    kind: 'app',
    pattern: /Miniflux\//,
    examples: [
      'Mozilla/5.0 (compatible; Miniflux/2.0.12; +https://miniflux.app)',
      'Mozilla/5.0 (compatible; Miniflux/2.0.3; +https://miniflux.net)',
    ],
    source: `miniflux/v2, internal/config (defaultHTTPClientUserAgent); ${CRAWLER_LIST}`,
  },
  {
    name: 'FreshRSS',
    kind: 'app',
    pattern: /FreshRSS\//,
    examples: [
      'FreshRSS/1.28.0 (Linux; https://freshrss.org)',
      'FreshRSS/1.11.2 (Linux; https://freshrss.org) like Googlebot',
    ],
    source:
      'FreshRSS/FreshRSS, constants.php (FRESHRSS_USERAGENT); https://lawtee.com/en/article/estimate-rss-subscribers-from-vps-logs',
  },
  {
    name: 'Tiny Tiny RSS',
    kind: 'app',
    pattern: /^Tiny Tiny RSS\//,
    examples: [
      'Tiny Tiny RSS/25.07-dea3f2d (Unsupported) (https://tt-rss.org/)',
      'Tiny Tiny RSS/19.8 (http://tt-rss.org/)',
    ],
    source:
      'tt-rss source (SELF_USER_AGENT); https://lawtee.com/en/article/estimate-rss-subscribers-from-vps-logs',
  },
  {
    name: 'NetNewsWire',
    kind: 'app',
    pattern: /NetNewsWire/,
    examples: [
      'NetNewsWire (RSS Reader; https://netnewswire.com/)',
      'NetNewsWire/4.0.0 (Mac OS X; http://netnewswireapp.com/mac/; gzip-happy)',
    ],
    source: `Ranchero-Software/NetNewsWire, Mac/Resources/Info.plist (UserAgent); ${DEVICE_DETECTOR}`,
  },
  {
    name: 'Reeder',
    kind: 'app',
    pattern: /^Reeder\//,
    examples: ['Reeder/3.2 CFNetwork/672.1.12 Darwin/14.0.0'],
    source: DEVICE_DETECTOR,
  },
  {
    name: 'Unread',
    kind: 'app',
    pattern: /^Unread RSS Reader/,
    examples: ['Unread RSS Reader - https://www.goldenhillsoftware.com/unread/'],
    source: 'https://lawtee.com/en/article/estimate-rss-subscribers-from-vps-logs',
  },
  {
    name: 'Fiery Feeds',
    kind: 'app',
    pattern: /^Fiery%20Feeds\//,
    examples: ['Fiery%20Feeds/572 CFNetwork/3860.100.1 Darwin/25.0.0'],
    source: 'https://lawtee.com/en/article/estimate-rss-subscribers-from-vps-logs',
  },
  {
    name: 'Newsboat',
    kind: 'app',
    pattern: /^news(?:boat|beuter)\//i,
    // newsboat builds "newsboat/<version> (<sysname> <machine>)" (utils::get_useragent);
    // the newsbeuter string is its predecessor's, as logged.
    examples: ['newsbeuter/2.7 (Linux x86_64)'],
    source: `newsboat/newsboat, src/utils.cpp (get_useragent); ${DEVICE_DETECTOR}`,
  },
  {
    name: 'Feeder',
    kind: 'app',
    pattern: /^SpaceCowboys Android RSS Reader/,
    examples: ['SpaceCowboys Android RSS Reader / 2.13.0(3764)'],
    source: 'spacecowboy/Feeder, UserAgentInterceptor.kt',
  },
  {
    name: 'Akregator',
    kind: 'app',
    pattern: /akregator/i,
    examples: ['Akregator/5.24.0 (23.08.0); syndication', 'Akregator/4.12.3; syndication SUSE'],
    source: DEVICE_DETECTOR,
  },
  {
    name: 'Liferea',
    kind: 'app',
    pattern: /Liferea\//,
    examples: [
      'Liferea/1.10.6 (Linux; en_US.UTF8; http://liferea.sf.net/) AppleWebKit (KHTML, like Gecko)',
    ],
    source: DEVICE_DETECTOR,
  },
  {
    name: 'QuiteRSS',
    kind: 'app',
    pattern: /QuiteRSS\//i,
    examples: [
      'Mozilla/5.0 (Windows NT 6.1) AppleWebKit/602.1 (KHTML, like Gecko) QuiteRSS/0.18.12 Safari/602.1',
    ],
    source: 'QuiteRSS release builds, as quoted by feed-reader user-agent lists',
  },
  {
    name: 'Vienna',
    kind: 'app',
    pattern: /\bVienna\/\d/,
    examples: ['Mozilla/5.0 Vienna/3.9.5'],
    source: 'Vienna release builds, as quoted by feed-reader user-agent lists',
  },
  {
    name: 'Nextcloud News',
    kind: 'app',
    pattern: /^NextCloud-News\//i,
    examples: ['NextCloud-News/1.0'],
    source: DEVICE_DETECTOR,
  },
  {
    name: 'Thunderbird',
    kind: 'app',
    pattern: /Thunderbird\//,
    examples: [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:102.0) Gecko/20100101 Thunderbird/102.5.1',
    ],
    source: "Thunderbird's User-Agent as it appears in its own mail headers",
  },
  {
    name: 'Outlook',
    kind: 'app',
    pattern: /Microsoft Outlook|Windows-RSS-Platform\//,
    examples: [
      'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.12026; Pro)',
      'Windows-RSS-Platform/1.0 (MSIE 7.0; Windows NT 5.1)',
    ],
    source: 'https://blogs.msdn.microsoft.com/rssteam/2006/04/28/user-agent-string/',
  },
  // Crawlers, link previews and libraries.
  {
    name: 'Googlebot',
    kind: 'bot',
    pattern: /Googlebot\/|Google-Read-Aloud/,
    examples: [
      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      'Googlebot/2.1 (+http://www.google.com/bot.html)',
    ],
    source: `https://developers.google.com/search/docs/crawling-indexing/overview-google-crawlers; ${CRAWLER_LIST}`,
  },
  {
    name: 'Bingbot',
    kind: 'bot',
    pattern: /bingbot\//i,
    examples: ['Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)'],
    source: CRAWLER_LIST,
  },
  {
    name: 'MSN',
    kind: 'bot',
    pattern: /msnbot|MicrosoftPreview\//,
    examples: [
      'msnbot-NewsBlogs/2.0b (+http://search.msn.com/msnbot.htm)',
      'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; MicrosoftPreview/2.0; +https://aka.ms/MicrosoftPreview) Chrome/100.0.4896.127 Safari/537.36',
    ],
    source: `${DEVICE_DETECTOR}; ${CRAWLER_LIST}`,
  },
  {
    name: 'Applebot',
    kind: 'bot',
    pattern: /Applebot/,
    examples: [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_10_1) AppleWebKit/600.2.5 (KHTML, like Gecko) Version/8.0.2 Safari/600.2.5 (Applebot/0.1; +http://www.apple.com/go/applebot)',
    ],
    source: CRAWLER_LIST,
  },
  {
    name: 'YandexBot',
    kind: 'bot',
    pattern: /YandexBot\//,
    examples: ['Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)'],
    source: CRAWLER_LIST,
  },
  {
    name: 'DuckDuckBot',
    kind: 'bot',
    pattern: /DuckDuckBot/,
    examples: ['DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)'],
    source: CRAWLER_LIST,
  },
  {
    name: 'Slack',
    kind: 'bot',
    pattern: /Slackbot|Slack-ImgProxy/,
    examples: [
      'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
      'Slackbot 1.0 (+https://api.slack.com/robots)',
    ],
    source: `https://api.slack.com/robots; ${CRAWLER_LIST}`,
  },
  {
    name: 'Discord',
    kind: 'bot',
    pattern: /Discordbot\//,
    examples: ['Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)'],
    source: CRAWLER_LIST,
  },
  {
    name: 'Twitter',
    kind: 'bot',
    pattern: /Twitterbot\//,
    examples: ['Twitterbot/1.0'],
    source: CRAWLER_LIST,
  },
  {
    name: 'Facebook',
    kind: 'bot',
    pattern: /facebookexternalhit\//,
    examples: ['facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)'],
    source: `http://www.facebook.com/externalhit_uatext.php; ${CRAWLER_LIST}`,
  },
  {
    name: 'LinkedIn',
    kind: 'bot',
    pattern: /LinkedInBot\//,
    examples: [
      'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)',
    ],
    source: CRAWLER_LIST,
  },
  {
    name: 'FeedBurner',
    kind: 'bot',
    pattern: /^FeedBurner\//,
    examples: ['FeedBurner/1.0 (http://www.FeedBurner.com)'],
    source: DEVICE_DETECTOR,
  },
  {
    name: 'WordPress',
    kind: 'bot',
    pattern: /^WordPress\/[\d.]+;/,
    examples: ['WordPress/6.9; https://www.domain.com'],
    source: 'https://lawtee.com/en/article/estimate-rss-subscribers-from-vps-logs',
  },
  {
    name: 'SimplePie',
    kind: 'bot',
    pattern: /^SimplePie\//,
    examples: [
      'SimplePie/1.3.1 (Feed Parser; http://simplepie.org; Allow like Gecko) Build/20121030175911',
    ],
    source: DEVICE_DETECTOR,
  },
  {
    name: 'feedparser',
    kind: 'bot',
    pattern: /^(?:feedparser|UniversalFeedParser)\//,
    examples: [
      'feedparser/6.0.11 +https://github.com/kurtmckee/feedparser/',
      'UniversalFeedParser/5.2.1 +https://code.google.com/p/feedparser/',
    ],
    source: `kurtmckee/feedparser, feedparser/__init__.py (USER_AGENT); ${DEVICE_DETECTOR}`,
  },
  {
    name: 'rss-parser',
    kind: 'bot',
    pattern: /^rss-parser$/,
    examples: ['rss-parser'],
    source: 'rbren/rss-parser, lib/parser.js (DEFAULT_HEADERS)',
  },
  {
    name: 'curl',
    kind: 'bot',
    pattern: /^curl\//,
    examples: ['curl/7.64.1'],
    source: CRAWLER_LIST,
  },
  {
    name: 'Wget',
    kind: 'bot',
    pattern: /^Wget\//,
    examples: ['Wget/1.20.3 (linux-gnu)'],
    source: CRAWLER_LIST,
  },
  {
    name: 'Go',
    kind: 'bot',
    pattern: /^Go-http-client\//,
    examples: ['Go-http-client/1.1', 'Go-http-client/2.0'],
    source: CRAWLER_LIST,
  },
  {
    name: 'Python',
    kind: 'bot',
    pattern: /^(?:python-requests|Python-urllib|aiohttp|python-httpx)\//i,
    examples: ['python-requests/2.22.0', 'Python-urllib/3.7'],
    source: CRAWLER_LIST,
  },
  // Catch-alls: a service nobody listed yet that still reports its subscribers; any other
  // crawler; people's browsers; and the rest.
  {
    name: 'Other feed service',
    kind: 'web',
    counts: true,
    pattern: /\b\d+ (?:subscribers?|readers)\b|Subscriber Count: \d+/,
    examples: [
      'NewsGatorOnline/2.0 (http://www.newsgator.com; 2 subscribers)',
      'kouio.com RSS reader - 6 subscribers',
    ],
    source: DEVICE_DETECTOR,
  },
  {
    name: 'Other crawler',
    kind: 'bot',
    pattern: /bot\b|crawler|spider|\+https?:\/\//i,
    examples: ['Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)'],
    source: CRAWLER_LIST,
  },
  {
    name: 'Browser',
    kind: 'other',
    pattern: /^Mozilla\/5\.0 \((?:Windows|Macintosh|X11|Linux|iPhone|iPad)/,
    examples: [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    ],
    source: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/User-Agent',
  },
]

/** What the statistics keep of a User-Agent. */
export interface Classified {
  reader: string
  kind: ReaderKind
  counts: boolean
  /** A subscriber count and the feed id it is for (`''` when the reader gives none). */
  report?: { subscribers: number; feedId: string }
}

const OTHER: Classified = { reader: 'Other', kind: 'other', counts: false }
const NONE: Classified = { reader: 'No User-Agent', kind: 'bot', counts: false }

// "134 subscribers", "1 subscriber", "2 readers", "Subscriber Count: 12".
const SUBSCRIBERS = /\b(\d{1,9}) (?:subscribers?|readers)\b|Subscriber Count: (\d{1,9})/
// feed-id=… (Google, The Old Reader, Feed Wrangler, Overcast), feed-id:… (Feedbin,
// Superfeedr), feedID: … (Netvibes), newsblur.com/site/<id>/ (NewsBlur).
const FEED_ID = /feed-?id[=:] ?([\w-]{1,64})|newsblur\.com\/site\/(\d{1,20})\//i

function classifyNow(userAgent: string): Classified {
  if (userAgent.trim() === '') return NONE
  const found = READERS.find((entry) => entry.pattern.test(userAgent))
  if (!found) return OTHER
  const classified: Classified = {
    reader: found.name,
    kind: found.kind,
    counts: found.counts === true,
  }
  if (found.counts) {
    const count = SUBSCRIBERS.exec(userAgent)
    if (count) {
      const id = FEED_ID.exec(userAgent)
      classified.report = {
        subscribers: Number(count[1] ?? count[2]),
        feedId: id ? (id[1] ?? id[2] ?? '') : '',
      }
    }
  }
  return classified
}

// Readers come back with the same User-Agent every few minutes: the last few thousand are
// remembered, so a poll costs one map lookup rather than a walk down the table.
const remembered = new Map<string, Classified>()
const REMEMBER = 4096
const LONGEST = 512

/** The reader a User-Agent belongs to, and the count it reports. */
export function classify(userAgent: string): Classified {
  const ua = userAgent.length > LONGEST ? userAgent.slice(0, LONGEST) : userAgent
  const known = remembered.get(ua)
  if (known) return known
  const classified = classifyNow(ua)
  if (remembered.size >= REMEMBER) remembered.delete(remembered.keys().next().value as string)
  remembered.set(ua, classified)
  return classified
}
