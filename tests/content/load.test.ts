import { describe, expect, it } from 'vitest'
import { loadContent } from '../../src/content/load'
import { articleFile, contentFiles, problemsOf, TEST_NOW } from '../helpers/content'

describe('loadContent', () => {
  it('loads valid content into articles with absolute URLs and resolved references', () => {
    const content = loadContent(contentFiles(), { now: TEST_NOW })
    const [article] = content.articles
    expect(article).toMatchObject({
      id: 'urn:uuid:11111111-2222-4333-8444-555555555555',
      slug: 'engines',
      url: 'https://news.test/articles/engines/',
      published: '2026-01-02T03:04:05.000Z',
      updated: '2026-01-02T03:04:05.000Z',
      author: {
        slug: 'ada-lovelace',
        name: 'Ada Lovelace',
        url: 'https://news.test/authors/ada-lovelace/',
      },
      categories: [{ slug: 'science', name: 'Science' }],
      tags: [
        { slug: 'engines', name: 'Engines' },
        { slug: 'analytical-engine', name: 'Analytical Engine' },
      ],
    })
    expect(article?.contentHtml).toBe(
      '<p>The body, with a <a href="https://news.test/articles/other/">link</a>.</p>',
    )
  })

  it('keeps the id when the title and slug change', () => {
    const edited = loadContent(
      contentFiles({
        'content/articles/engines.md': articleFile({ title: 'A new headline', slug: 'renamed' }),
      }),
      { now: TEST_NOW },
    )
    expect(edited.articles[0]?.id).toBe('urn:uuid:11111111-2222-4333-8444-555555555555')
    expect(edited.articles[0]?.url).toBe('https://news.test/articles/renamed/')
  })

  it('takes the summary from the first paragraph when front matter has none', () => {
    const content = loadContent(
      contentFiles({
        'content/articles/engines.md': articleFile(
          { summary: '' },
          '## Heading\n\nFirst *real* paragraph.\n\nSecond.',
        ),
      }),
      { now: TEST_NOW },
    )
    expect(content.articles[0]?.summary).toBe('First real paragraph.')
  })

  it('lists articles newest first', () => {
    const content = loadContent(
      contentFiles({
        'content/articles/old.md': articleFile({
          id: 'urn:uuid:11111111-2222-4333-8444-000000000001',
          published: '2020-01-01T00:00:00Z',
        }),
        'content/articles/new.md': articleFile({
          id: 'urn:uuid:11111111-2222-4333-8444-000000000002',
          published: '2027-01-01T00:00:00+02:00',
        }),
      }),
      { now: TEST_NOW },
    )
    expect(content.articles.map((a) => a.slug)).toEqual(['new', 'engines', 'old'])
  })

  it('keeps a tab in a text field and refuses a control character XML forbids', () => {
    const content = loadContent(
      contentFiles({ 'content/articles/engines.md': articleFile({ title: '"Tab\\there"' }) }),
      { now: TEST_NOW },
    )
    expect(content.articles[0]?.title).toBe('Tab\there')
    const problems = problemsOf(
      contentFiles({
        'content/articles/engines.md': articleFile({ title: '"Tab\\there, bell\\u0007 gone"' }),
      }),
    )
    expect(problems).toEqual(['content/articles/engines.md: title: holds U+0007 at column 15'])
  })
})

describe('loadContent rejects', () => {
  const cases: [string, Record<string, string | Uint8Array | null>, string][] = [
    ['a missing site.yaml', { 'content/site.yaml': null }, 'content/site.yaml: (file): is missing'],
    [
      'malformed YAML',
      { 'content/categories.yaml': '- slug: [unclosed\n' },
      'content/categories.yaml: (yaml): is not valid YAML at line',
    ],
    [
      'YAML that is not a mapping',
      { 'content/authors/ada-lovelace.yaml': '- just\n- a list\n' },
      'content/authors/ada-lovelace.yaml: (root): must be a mapping of fields, not a list',
    ],
    [
      'front matter that is a string',
      { 'content/articles/engines.md': '---\njust words\n---\nbody' },
      'content/articles/engines.md: (root): must be a mapping of fields, not string "just words"',
    ],
    [
      'a file that is not UTF-8',
      { 'content/articles/engines.md': new Uint8Array([0x2d, 0x2d, 0x2d, 0x0a, 0xff, 0xfe, 0x0a]) },
      'content/articles/engines.md: (file): is not valid UTF-8',
    ],
    [
      'a missing front matter block',
      { 'content/articles/engines.md': 'Just a body.' },
      'content/articles/engines.md: (front matter): must start with a YAML block between --- lines',
    ],
    [
      'a missing required field',
      { 'content/articles/engines.md': articleFile({ author: '' }) },
      'content/articles/engines.md: author: is required',
    ],
    [
      'an unknown field',
      { 'content/articles/engines.md': articleFile({ catgories: '[science]' }) },
      'content/articles/engines.md: catgories: is not a known field',
    ],
    [
      'a date without a zone',
      { 'content/articles/engines.md': articleFile({ published: '2026-01-02T03:04:05' }) },
      'content/articles/engines.md: published: must be an RFC 3339 date-time with a zone, got "2026-01-02T03:04:05"',
    ],
    [
      'an impossible date',
      { 'content/articles/engines.md': articleFile({ published: '2026-02-30T03:04:05Z' }) },
      'content/articles/engines.md: published: must be an RFC 3339 date-time',
    ],
    [
      'a date before 1970',
      { 'content/articles/engines.md': articleFile({ published: '1969-12-31T23:59:59Z' }) },
      'content/articles/engines.md: published: must lie between 1970-01-01 and 9999-12-31',
    ],
    [
      'an updated date before published',
      { 'content/articles/engines.md': articleFile({ updated: '2025-01-01T00:00:00Z' }) },
      'content/articles/engines.md: updated: must not be before published',
    ],
    [
      'a relative site URL',
      {
        'content/site.yaml':
          'title: T\ndescription: D\nurl: news.test\nlanguage: en\ncopyright: C\n',
      },
      'content/site.yaml: url: must be an absolute http(s) URL, got "news.test"',
    ],
    [
      'an unknown author',
      { 'content/articles/engines.md': articleFile({ author: 'grace-hopper' }) },
      'content/articles/engines.md: author: names an unknown author "grace-hopper"',
    ],
    [
      'an unknown category',
      { 'content/articles/engines.md': articleFile({ categories: '[science, sport]' }) },
      'content/articles/engines.md: categories.1: names an unknown category "sport"',
    ],
    [
      'a malformed urn:uuid: id',
      { 'content/articles/engines.md': articleFile({ id: 'urn:uuid:ENGINES-1' }) },
      'content/articles/engines.md: id: must be a lowercase urn:uuid: identifier when it starts with urn:uuid:, got "urn:uuid:ENGINES-1"',
    ],
    [
      'an id with a control character',
      { 'content/articles/engines.md': articleFile({ id: '"post\\u0001"' }) },
      'content/articles/engines.md: id: must not contain control characters, got "post\\u0001"',
    ],
    [
      'a duplicate id',
      { 'content/articles/twin.md': articleFile() },
      'content/articles/twin.md: id: duplicates the id of content/articles/engines.md',
    ],
    [
      'a duplicate slug',
      {
        'content/articles/twin.md': articleFile({
          id: 'urn:uuid:11111111-2222-4333-8444-000000000009',
          slug: 'engines',
        }),
      },
      'content/articles/twin.md: slug: duplicates the slug of content/articles/engines.md',
    ],
    [
      'a duplicate category',
      {
        'content/categories.yaml':
          '- {slug: a, name: A, description: D}\n- {slug: a, name: B, description: D}\n',
      },
      'content/categories.yaml: 1.slug: duplicates the category "a"',
    ],
    [
      'an empty body',
      { 'content/articles/engines.md': articleFile({}, '') },
      'content/articles/engines.md: (body): is empty',
    ],
    [
      'a curated feed naming an unknown category',
      { 'feeds/picks.yaml': 'title: Picks\ndescription: D\ncategories: [sport]\n' },
      'feeds/picks.yaml: categories.0: names an unknown category "sport"',
    ],
    [
      'a curated feed that selects nothing',
      { 'feeds/picks.yaml': 'title: Picks\ndescription: D\n' },
      'feeds/picks.yaml: (root): must select articles by at least one of categories, tags or authors',
    ],
    [
      'a curated feed that selects by more than 40 categories, tags and authors',
      {
        'feeds/picks.yaml': `title: Picks\ndescription: D\ncategories: [${Array(41).fill('science').join(', ')}]\n`,
      },
      'feeds/picks.yaml: (root): selects by 41 categories, tags and authors; at most 40 are allowed',
    ],
  ]

  it.each(cases)('%s', (_name, files, message) => {
    const problems = problemsOf(contentFiles(files))
    expect(
      problems.some((p) => p.startsWith(message)),
      problems.join('\n'),
    ).toBe(true)
  })

  it('reports every problem at once, across files', () => {
    const problems = problemsOf(
      contentFiles({
        'content/articles/engines.md': articleFile({ author: 'nobody', published: 'yesterday' }),
        'content/articles/other.md': articleFile({
          id: 'urn:uuid:11111111-2222-4333-8444-000000000003',
          categories: '[nope]',
        }),
        'feeds/picks.yaml': 'title: Picks\n',
      }),
    )
    expect(problems).toEqual([
      'content/articles/engines.md: published: must be an RFC 3339 date-time with a zone, got "yesterday"',
      'content/articles/other.md: categories.0: names an unknown category "nope"',
      'feeds/picks.yaml: description: is required',
    ])
  })
})
