import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { ROOT } from '../../scripts/content-files'
import { existingOf, planMigration } from '../../src/migrate/plan'
import { emptyRead, PackedText, type SourceItem } from '../../src/migrate/source'
import { SAMPLE_ARTICLE, SAMPLE_FEEDS, SHIPPED_SITE } from '../../src/migrate/steps/site'
import { sha } from '../../src/migrate/steps/state'
import { isSlug, SLUG_MAX_BYTES, slugify } from '../../src/model/slug'

const OPTIONS = {
  now: Date.parse('2026-12-01T00:00:00Z'),
  category: { slug: 'news', name: 'News' },
  author: { slug: 'staff', name: 'Staff' },
}

function sourceItem(fields: Partial<SourceItem>): SourceItem {
  return {
    where: 'feed.xml: item 1',
    guid: 'g-1',
    title: 'A title',
    body: new PackedText('Words.\n'),
    published: '2026-03-02T09:30:00.000Z',
    categories: [],
    tags: [],
    ...fields,
  }
}

function readOf(items: SourceItem[], site: Partial<ReturnType<typeof emptyRead>> = {}) {
  return { ...emptyRead(), items, ...site }
}

const articles = (writes: Map<string, string>) =>
  [...writes.keys()].filter((f) => f.startsWith('content/articles/'))

describe('slugs safe as file names and URLs', () => {
  it.each([
    ['con', 'con-1'],
    ['CON', 'con-1'],
    ['nul', 'nul-1'],
    ['com1', 'com1-1'],
    ['LPT9', 'lpt9-1'],
    ['console', 'console'],
    ['auxiliary-power', 'auxiliary-power'],
  ])('the Windows device name %j becomes %j', (name, slug) => {
    expect(slugify(name)).toBe(slug)
  })

  it.each([
    ['zero-width joiner and non-joiner', 'caf\u200de\u200c-bar', 'cafe-bar'],
    ['bidi embedding and override', '\u202aabc\u202e-def\u202c', 'abc-def'],
    ['bidi isolates', '\u2066left\u2069-\u2067right\u2069', 'left-right'],
    ['LRM and RLM', 'a\u200eb\u200f', 'ab'],
    ['soft hyphen', 'news\u00adpaper', 'newspaper'],
  ])('%s never reach a slug', (_, name, slug) => {
    expect(slugify(name)).toBe(slug)
    expect(isSlug(slugify(name))).toBe(true)
  })

  it(`is at most ${SLUG_MAX_BYTES} bytes of UTF-8, cut at a hyphen, whatever the script`, () => {
    expect(SLUG_MAX_BYTES).toBe(200)
    const cyrillic = Array.from({ length: 40 }, () => 'новости').join('-')
    const slug = slugify(cyrillic)
    // 14 bytes a word and one a hyphen: 13 words and 12 hyphens are 194 bytes.
    expect(slug).toBe(Array.from({ length: 13 }, () => 'новости').join('-'))
    expect(Buffer.byteLength(slug, 'utf8')).toBe(194)
    const japanese = '東京'.repeat(100)
    expect(slugify(japanese)).toBe('東京'.repeat(33))
    expect(Buffer.byteLength(slugify(japanese), 'utf8')).toBe(198)
  })

  it('a told-apart slug stays within the limit, and is reported', () => {
    const long = 'a'.repeat(300)
    const plan = planMigration(
      [
        readOf([
          sourceItem({ guid: 'g-1', slug: long }),
          sourceItem({ guid: 'g-2', slug: long, published: '2026-03-03T09:30:00.000Z' }),
        ]),
      ],
      existingOf(new Map()),
      OPTIONS,
    )
    const files = articles(plan.writes)
    expect(files).toEqual([
      `content/articles/${'a'.repeat(200)}.md`,
      `content/articles/${'a'.repeat(198)}-2.md`,
    ])
    expect(plan.report.collisions).toEqual([
      `feed.xml: item 1: slug "${'a'.repeat(300)}" is unsafe, "${'a'.repeat(200)}" used`,
      `feed.xml: item 1: slug "${'a'.repeat(200)}" is taken, "${'a'.repeat(198)}-2" used`,
    ])
  })

  it('an old post whose slug was a device name or held invisible characters gets a file that is neither', () => {
    const plan = planMigration(
      [
        readOf([
          sourceItem({ guid: 'g-1', slug: 'con', link: 'https://old.example.org/con/' }),
          sourceItem({ guid: 'g-2', slug: 'pay\u202epal', published: '2026-03-03T09:30:00.000Z' }),
        ]),
      ],
      existingOf(new Map()),
      OPTIONS,
    )
    expect(articles(plan.writes)).toEqual([
      'content/articles/con-1.md',
      'content/articles/paypal.md',
    ])
  })
})

describe('reading and writing content with the yaml package', () => {
  it('categories and redirects already there are read whatever their YAML style', () => {
    const existing = existingOf(
      new Map([
        ['content/categories.yaml', '[{slug: "news", name: News, description: Today.}]\n'],
        ['content/redirects.yaml', '- {from: "/old/", to: /articles/a-title/}\n'],
      ]),
    )
    const plan = planMigration(
      [
        readOf([sourceItem({ link: 'https://old.example.org/old/' })], {
          link: 'https://old.example.org',
        }),
      ],
      existing,
      OPTIONS,
    )
    // The category and the redirect are there already: neither file changes.
    expect(plan.writes.has('content/categories.yaml')).toBe(false)
    expect(plan.writes.has('content/redirects.yaml')).toBe(false)
  })
})

describe('a fresh start', () => {
  const shipped = new Map(
    [
      'content/site.yaml',
      'content/categories.yaml',
      'content/authors/sean-endicott.yaml',
      'content/articles/microsoft-exchange-server-attacks-china.md',
      'feeds/security-threats.yaml',
      'feeds/feedly.yaml',
    ].map((path) => [path, readFileSync(join(ROOT, path), 'utf8')]),
  )
  const source = readOf([sourceItem({ link: 'https://old.example.org/2026/a-title/' })], {
    title: 'The Old Gazette',
    link: 'https://old.example.org/blog/',
    description: 'News from the old site',
    language: 'en_GB',
  })

  it('the shipped site.yaml and sample article are the ones the migration knows', () => {
    expect(SHIPPED_SITE.has(sha(shipped.get('content/site.yaml') as string))).toBe(true)
    const sample = shipped.get(
      'content/articles/microsoft-exchange-server-attacks-china.md',
    ) as string
    expect(SAMPLE_ARTICLE.sha.has(sha(sample))).toBe(true)
    expect(sample).toContain(`id: ${SAMPLE_ARTICLE.id}`)
    for (const [file, hash] of SAMPLE_FEEDS)
      expect(sha(shipped.get(file) as string), file).toBe(hash)
  })

  it('fills site.yaml from the source, keeps its comments, and removes the sample article', () => {
    const plan = planMigration([source], existingOf(shipped), OPTIONS)
    const site = plan.writes.get('content/site.yaml') as string
    expect(parse(site)).toMatchObject({
      title: 'The Old Gazette',
      description: 'News from the old site',
      url: 'https://old.example.org',
      language: 'en-GB',
      copyright: '© The Old Gazette',
      default_items: 20,
    })
    expect(site).toContain('# The publisher.')
    expect(plan.removes).toEqual([
      'content/articles/microsoft-exchange-server-attacks-china.md',
      'feeds/security-threats.yaml',
    ])
    expect(plan.report.site).toEqual([
      'content/site.yaml: title, description, url, language, copyright filled from the source',
      'content/articles/microsoft-exchange-server-attacks-china.md: the shipped sample article, removed',
      "feeds/security-threats.yaml: the shipped sample's curated feed, removed",
    ])
    expect(plan.report.absent).toEqual([])
  })

  it('a site already set up is never overwritten, and its articles stay', () => {
    const setUp = new Map(shipped)
    setUp.set(
      'content/site.yaml',
      (shipped.get('content/site.yaml') as string).replace('Windows Central', 'My Paper'),
    )
    const plan = planMigration([source], existingOf(setUp), OPTIONS)
    expect(plan.writes.has('content/site.yaml')).toBe(false)
    expect(plan.removes).toEqual([])
    expect(plan.report.site).toEqual([])
    expect(plan.report.absent).toEqual([
      'content/articles/microsoft-exchange-server-attacks-china.md',
    ])
  })

  it('an edited sample article stays', () => {
    const edited = new Map(shipped)
    const file = 'content/articles/microsoft-exchange-server-attacks-china.md'
    edited.set(file, `${shipped.get(file)}\nAn added line.\n`)
    const plan = planMigration([source], existingOf(edited), OPTIONS)
    expect(plan.writes.has('content/site.yaml')).toBe(true)
    expect(plan.removes).toEqual([])
  })
})
