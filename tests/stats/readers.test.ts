import { describe, expect, it } from 'vitest'
import { classify, READERS } from '../../src/stats/readers'

describe('the reader table', () => {
  it('has unique names, and real User-Agents for every entry', () => {
    const names = READERS.map((reader) => reader.name)
    expect(new Set(names).size).toBe(names.length)
    for (const reader of READERS) {
      expect(reader.examples.length, reader.name).toBeGreaterThan(0)
      expect(reader.source, reader.name).not.toBe('')
    }
  })

  // The fixture of each entry: every example it carries is classified as that entry, so an
  // entry placed after another whose pattern catches its strings fails here.
  for (const reader of READERS)
    it(`knows ${reader.name} (${reader.kind}) by its User-Agents`, () => {
      for (const example of reader.examples) {
        const found = classify(example)
        expect(found.reader, example).toBe(reader.name)
        expect(found.kind, example).toBe(reader.kind)
      }
    })

  it('covers the readers newsrooms see most, in each kind', () => {
    const kinds = new Map(READERS.map((reader) => [reader.name, reader.kind]))
    for (const name of ['Feedly', 'Inoreader', 'NewsBlur', 'Feedbin', 'The Old Reader', 'Feedspot'])
      expect(kinds.get(name), name).toBe('web')
    for (const name of [
      'Miniflux',
      'FreshRSS',
      'Tiny Tiny RSS',
      'NetNewsWire',
      'Reeder',
      'Newsboat',
      'Thunderbird',
      'Outlook',
      'Feeder',
    ])
      expect(kinds.get(name), name).toBe('app')
    for (const name of ['Googlebot', 'Bingbot', 'MSN', 'Slack', 'Discord'])
      expect(kinds.get(name), name).toBe('bot')
  })
})

describe('subscriber counts and feed ids in User-Agents', () => {
  const cases: [string, string, number, string][] = [
    ['Feedly/1.0 (+http://www.feedly.com/fetcher.html; 134 subscribers; )', 'Feedly', 134, ''],
    ['Inoreader/1.0 (+http://www.inoreader.com/feed-fetcher; 3 subscribers; )', 'Inoreader', 3, ''],
    ['Mozilla/5.0 (compatible; inoreader.com; 114 subscribers)', 'Inoreader', 114, ''],
    // NewsBlur writes "1 subscriber"; its feed id is in the site URL.
    [
      'NewsBlur Feed Fetcher - 1 subscriber - https://www.newsblur.com/site/7704055/rendezvous-with-cassidoo ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/14.0.1 Safari/605.1.15")',
      'NewsBlur',
      1,
      '7704055',
    ],
    ['Feedbin feed-id:1306543 - 3 subscribers', 'Feedbin', 3, '1306543'],
    [
      'Mozilla/5.0 (compatible; theoldreader.com; 1 subscribers; feed-id=cead6c3a837650eeefd8fe4a)',
      'The Old Reader',
      1,
      'cead6c3a837650eeefd8fe4a',
    ],
    [
      'Netvibes (http://www.netvibes.com/; 8 subscribers; feedID: 2244192)',
      'Netvibes',
      8,
      '2244192',
    ],
    [
      'Feedfetcher-Google; (+http://www.google.com/feedfetcher.html; 19 subscribers; feed-id=13965549748850348809)',
      'Google Feedfetcher',
      19,
      '13965549748850348809',
    ],
    [
      'Dreamwidth Studios (webmaster@dreamwidth.org; for https://www.dreamwidth.org/users/vikingschoice_feed/; 2 readers)',
      'Dreamwidth',
      2,
      '',
    ],
    ['NewsGatorOnline/2.0 (http://www.newsgator.com; 2 subscribers)', 'Other feed service', 2, ''],
  ]
  for (const [ua, reader, subscribers, feedId] of cases)
    it(`${reader}: ${subscribers} from “${ua.slice(0, 40)}…”`, () => {
      expect(classify(ua)).toMatchObject({
        reader,
        kind: 'web',
        counts: true,
        report: { subscribers, feedId },
      })
    })

  it('a reader that counts but says no number this time reports nothing', () => {
    const found = classify(
      'Feedly/1.0 (+http://www.feedly.com/fetcher.html; like FeedFetcher-Google)',
    )
    expect(found).toMatchObject({ reader: 'Feedly', counts: true })
    expect(found.report).toBeUndefined()
  })

  it('reads no count from a reader that does not report one', () => {
    // An app whose User-Agent happens to carry digits and "readers" is not a count.
    expect(
      classify('Mozilla/5.0 (compatible; Miniflux/2.0.12; +https://miniflux.app)').report,
    ).toBeUndefined()
  })
})

describe('where one User-Agent quotes another', () => {
  it('Feedly and Feedspot say "like FeedFetcher-Google", and are themselves', () => {
    expect(
      classify('Feedly/1.0 (+http://www.feedly.com/fetcher.html; like FeedFetcher-Google)').reader,
    ).toBe('Feedly')
    expect(
      classify(
        'Mozilla/5.0 (compatible; Feedspot/1.0 (+https://www.feedspot.com/fs/fetcher; like FeedFetcher-Google)',
      ).reader,
    ).toBe('Feedspot')
  })

  it('older FreshRSS says "like Googlebot" and is a reader, not a crawler', () => {
    expect(classify('FreshRSS/1.11.2 (Linux; https://freshrss.org) like Googlebot')).toMatchObject({
      reader: 'FreshRSS',
      kind: 'app',
    })
  })

  it('NewsBlur embeds a browser, QuiteRSS too: neither counts as a browser', () => {
    expect(
      classify(
        'NewsBlur Page Fetcher - 7 subscribers - http://www.newsblur.com/site/3966817/analytics-piwik ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_8_3) AppleWebKit/536.28.10 (KHTML, like Gecko) Version/6.0.3 Safari/536.28.10")',
      ).reader,
    ).toBe('NewsBlur')
    expect(
      classify(
        'Mozilla/5.0 (Windows NT 6.1) AppleWebKit/602.1 (KHTML, like Gecko) QuiteRSS/0.18.12 Safari/602.1',
      ).reader,
    ).toBe('QuiteRSS')
  })

  it('no User-Agent is a script; an unknown one is "Other"', () => {
    expect(classify('')).toMatchObject({ reader: 'No User-Agent', kind: 'bot' })
    expect(classify('SomeNewReader/0.1')).toMatchObject({ reader: 'Other', kind: 'other' })
  })

  it('a very long User-Agent is read by its first 512 characters, and remembered as such', () => {
    const long = `Feedly/1.0 (+http://www.feedly.com/fetcher.html; 5 subscribers; )${' '.repeat(10_000)}`
    expect(classify(long)).toMatchObject({ reader: 'Feedly', report: { subscribers: 5 } })
  })
})
