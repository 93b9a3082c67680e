import { describe, expect, it } from 'vitest'
import { problemsOf } from '../helpers/content'
import { goodArticle, profileApp, profileContent } from '../helpers/profiles'
import {
  checkAtomRelaxNg,
  checkAtomRules,
  checkWellFormed,
  parseWithFeedparser,
} from '../helpers/validators'

// A feed definition picks an aggregator's rules with `profile:` and changes some with `rules:`.
const definition = (name: string, profile: string, rules: string) => ({
  [`feeds/${name}.yaml`]: `title: ${name}\ndescription: A feed for ${name}.\nprofile: ${profile}\nrules:\n${rules}`,
})

const UNSIZED_FILE =
  '{ url: "https://img.news.test/unsized.jpg", alt: "Unsized", credit: "Someone", width: 1600, height: 900 }'

describe('feed definitions that change their aggregator’s rules', () => {
  it('serves a teaser: the description, no article HTML, in RSS and Atom alike', async () => {
    const { get, report } = await profileApp(
      profileContent({
        ...definition('teaser', 'google-news', '  full_text: false\n'),
        'content/articles/story.md': goodArticle({ slug: 'story' }),
      }),
    )
    const rss = await (await get('/feeds/teaser/rss.xml')).text()
    expect(rss).toContain('/articles/story/')
    expect(rss).toContain('<description>A one-line summary of the story.</description>')
    expect(rss).not.toContain('content:encoded>')
    const atom = await (await get('/feeds/teaser/atom.xml')).text()
    expect(atom).toContain('<summary type="text">A one-line summary of the story.</summary>')
    expect(atom).not.toContain('<content')
    expect(checkAtomRelaxNg(atom)).toBe('')
    expect(checkAtomRules(atom)).toEqual([])
    for (const xml of [rss, atom]) {
      expect(checkWellFormed(xml)).toBe(true)
      const parsed = parseWithFeedparser(xml)
      expect(parsed.bozo, parsed.bozo_exception).toBe(false)
      expect(parsed.entries).toHaveLength(1)
      expect(parsed.entries[0]?.content.join(' ')).not.toContain('Paragraph 0')
    }
    // The standard Google News feed still sends the whole article.
    expect(await (await get('/feeds/google-news/rss.xml')).text()).toContain('content:encoded>')
    expect(report.filter((line) => line.startsWith('teaser:'))).toEqual([])
  })

  it('bounds the summary and the title, keeping the bound it does not change', async () => {
    const { get, report } = await profileApp(
      profileContent({
        ...definition('tight', 'msn', '  summary:\n    max: 20\n  title:\n    min: 35\n'),
        'content/articles/fits.md': goodArticle({
          slug: 'fits',
          title: '"A headline that is long enough to pass"',
          summary: '"Short and sweet."',
        }),
        'content/articles/wordy.md': goodArticle({
          slug: 'wordy',
          title: '"A headline that is long enough to pass too"',
        }),
        'content/articles/terse.md': goodArticle({
          slug: 'terse',
          title: '"A headline of thirty-one chars."',
          summary: '"Short and sweet."',
        }),
        'content/articles/shouty.md': goodArticle({
          slug: 'shouty',
          title: `"${'A headline that goes on '.repeat(7)}"`,
          summary: '"Short and sweet."',
        }),
      }),
    )
    const feed = await (await get('/feeds/tight/rss.xml')).text()
    expect(feed).toContain('/articles/fits/')
    for (const left of ['wordy', 'terse', 'shouty']) expect(feed).not.toContain(`/${left}/`)
    expect(report.filter((line) => line.startsWith('tight:'))).toEqual([
      'tight: shouty: title-length: the title has 167 characters; MSN takes at most 150',
      'tight: terse: title-length: the title has 31 characters; MSN needs at least 35',
      'tight: wordy: description-length: the description has 32 characters; MSN takes at most 20',
    ])
  })

  it('grows a short summary to its minimum without passing its maximum', async () => {
    const { get, report } = await profileApp(
      profileContent({
        ...definition('narrow', 'flipboard', '  summary:\n    min: 120\n    max: 125\n'),
        ...definition('tighter', 'flipboard', '  summary:\n    min: 110\n    max: 115\n'),
        'content/articles/story.md': goodArticle({ slug: 'story' }),
      }),
    )
    const feed = await (await get('/feeds/narrow/rss.xml')).text()
    const description = feed.match(/<item>[\s\S]*?<description>([^<]*)<\/description>/)?.[1] ?? ''
    // The summary, then the body's opening to the first word boundary past 120 (121 with the
    // ellipsis, within 125).
    expect(description).toBe(
      'A one-line summary of the story. Paragraph 0 of the story, with enough words in it to read like news &amp;amp; more. Paragraph 1…',
    )
    expect(Array.from(description.replaceAll('&amp;amp;', '&')).length).toBeLessThanOrEqual(125)
    expect(report.filter((line) => line.startsWith('narrow: story:'))).toEqual([])
    // No word boundary between 110 and 114: cut mid-word at 114, the ellipsis the 115th.
    const tighter = await (await get('/feeds/tighter/rss.xml')).text()
    expect(tighter).toContain('read like news &amp;amp; more. Parag…</description>')
    expect(report.filter((line) => line.startsWith('tighter: story:'))).toEqual([])
  })

  it('carries the lead image only in the elements it names', async () => {
    const { get, report } = await profileApp(
      profileContent({
        ...definition(
          'enclosed',
          'flipboard',
          '  image_elements: [enclosure]\n  image:\n    min_pixels: 800\n',
        ),
        'content/articles/big.md': goodArticle({ slug: 'big' }),
        'content/articles/unsized.md': goodArticle({ slug: 'unsized', image: UNSIZED_FILE }),
      }),
    )
    const feed = await (await get('/feeds/enclosed/rss.xml')).text()
    expect(feed).toContain(
      '<enclosure url="https://img.news.test/lead.jpg" length="182000" type="image/jpeg"/>',
    )
    expect(feed).not.toMatch(/<media:content|<media:thumbnail|<figure>/)
    // Both images are 1600×900, over 800 px on the shortest side: only the missing length
    // and type keep the second article out.
    expect(feed).toContain('/articles/big/')
    expect(feed).not.toContain('/articles/unsized/')
    expect(report).toContain(
      'enclosed: unsized: image-elements: the lead image has no byte length and type for the enclosure, the only element Flipboard takes it in',
    )
  })

  it('applies its own HTML allowlist and age window', async () => {
    const { get, report } = await profileApp(
      profileContent({
        ...definition('recent', 'feedly', '  html_allowlist: [p]\n  max_age_days: 30\n'),
        'content/articles/fresh.md': goodArticle(
          { slug: 'fresh', published: '2026-10-03T00:00:00Z' },
          'A *story* with a [link](https://elsewhere.test/).',
        ),
        'content/articles/stale.md': goodArticle({
          slug: 'stale',
          published: '2026-10-02T00:00:00Z',
        }),
      }),
    )
    const feed = await (await get('/feeds/recent/rss.xml')).text()
    // The lead figure's caption and credit stay, as a paragraph; the image goes.
    expect(feed).toContain(
      '<content:encoded><![CDATA[<p>What the image shows (Image credit: Jo Bloggs / Agency)</p><p>A story with a link.</p>]]>',
    )
    expect(feed).not.toContain('/articles/stale/')
    expect(report).toContain(
      'recent: stale: too-old: published 2026-10-02, 30 days ago; Feedly takes items less than 30 days old',
    )
    expect(report).toContain(
      'recent: fresh: html-allowlist: Feedly takes no <a>, <em>, <figcaption>, <figure>, <img>, <small>: removed from the body, their text kept (reported, not enforced)',
    )
  })

  it('holds its feed to a byte budget of its own, exact to the byte', async () => {
    const files = (budget: number) =>
      profileContent({
        ...definition('budget', 'feedly', `  feed_bytes: ${budget}\n`),
        // Fixed ids and titles: the three builds must hold the same bytes but for the budget.
        'content/articles/newer.md': goodArticle({
          id: 'urn:uuid:0f0f0f0f-0000-4000-8000-b00000000001',
          title: 'The newer story',
          slug: 'newer',
          published: '2026-10-05T00:00:00Z',
        }),
        'content/articles/older.md': goodArticle({
          id: 'urn:uuid:0f0f0f0f-0000-4000-8000-b00000000002',
          title: 'The older story',
          slug: 'older',
          published: '2026-10-04T00:00:00Z',
        }),
      })
    const roomy = await profileApp(files(1_000_000))
    const whole = new Uint8Array(await (await roomy.get('/feeds/budget/rss.xml')).arrayBuffer())
    expect(new TextDecoder().decode(whole)).toContain('/articles/older/')

    const exact = await profileApp(files(whole.byteLength))
    const same = new Uint8Array(await (await exact.get('/feeds/budget/rss.xml')).arrayBuffer())
    expect(same).toEqual(whole)
    expect(exact.report.filter((line) => line.startsWith('budget: older:'))).toEqual([])

    const short = await profileApp(files(whole.byteLength - 1))
    const cut = await (await short.get('/feeds/budget/rss.xml')).text()
    expect(cut).toContain('/articles/newer/')
    expect(cut).not.toContain('/articles/older/')
    expect(short.report).toContain(
      `budget: older: feed-bytes: dropped, oldest first, to keep the feed within ${whole.byteLength - 1} bytes`,
    )
  })
})

describe('rules: in a feed definition, checked like all content', () => {
  it('names every mistake in file: field: message form', () => {
    expect(
      problemsOf(
        profileContent({
          ...definition(
            'wrong',
            'msn',
            [
              '  title:\n    min: 50\n    max: 10',
              '  html_allowlist: [p, script]',
              '  image_elements: [banner]',
              '  full_text: maybe',
              '  colour: blue',
              '',
            ].join('\n'),
          ),
          'feeds/plain.yaml':
            'title: Plain\ndescription: No profile.\ncategories: [science]\nrules:\n  max_age_days: 3\n',
        }),
      ),
    ).toEqual([
      'feeds/plain.yaml: rules: applies only to a feed with a profile',
      'feeds/wrong.yaml: rules.full_text: must be true (the article) or false (a teaser)',
      'feeds/wrong.yaml: rules.title: must have a min no larger than its max',
      'feeds/wrong.yaml: rules.image_elements.0: must be one of media:content, media:thumbnail, enclosure, figure, got "banner"',
      'feeds/wrong.yaml: rules.html_allowlist.1: must be an HTML element the sanitiser keeps, got "script"',
      'feeds/wrong.yaml: rules.colour: is not a known field',
    ])
  })
})
