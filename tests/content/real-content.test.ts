import { describe, expect, it } from 'vitest'
import { loadContent } from '../../src/content/load'
import { articleFromRequest } from '../../src/content/publish'
import { contractCatalog } from '../helpers/catalog'
import { articleFile, contentFiles, problemsOf, TEST_NOW } from '../helpers/content'

const FILE = 'content/articles/engines.md'

/** The one article of a tree whose engines.md is `file`. */
function loadOne(file: string) {
  const [article] = loadContent(contentFiles({ [FILE]: file }), { now: TEST_NOW }).articles
  if (!article) throw new Error('no article loaded')
  return article
}

/** An article file with exactly these front-matter lines and this body. */
function rawFile(front: string, body: string): string {
  return `---\nid: urn:uuid:11111111-2222-4333-8444-555555555555\nauthor: ada-lovelace\npublished: 2026-01-02T03:04:05Z\ncategories: [science]\n${front}---\n\n${body}\n`
}

describe('an untitled article', () => {
  it.each([
    ['without a title field', rawFile('summary: Bridge closed overnight.\n', 'The crews.')],
    ['with an empty title', rawFile("title: ''\nsummary: Bridge closed overnight.\n", 'x')],
    [
      'with a title and nothing after the colon',
      rawFile('title:\nsummary: Bridge closed overnight.\n', 'x'),
    ],
  ])('loads %s, with an empty title and its summary', (_name, file) => {
    const article = loadOne(file)
    expect(article.title).toBe('')
    expect(article.summary).toBe('Bridge closed overnight.')
  })

  it('takes its summary from the body when it has none', () => {
    const article = loadOne(rawFile('', 'Bridge closed overnight on the north side.'))
    expect(article.summary).toBe('Bridge closed overnight on the north side.')
  })

  it('is an error, naming the file, when it has no text anywhere', () => {
    const file = rawFile('', '<iframe src="https://video.example/embed/1"></iframe>')
    expect(problemsOf(contentFiles({ [FILE]: file }))).toEqual([
      `${FILE}: title: is empty and the article has no text to show in its place (no summary, no words in the body, no image description)`,
    ])
  })
})

describe('the summary of an article without one', () => {
  const titled = (body: string, front = '') => loadOne(rawFile(`title: Engines\n${front}`, body))

  it('is the first paragraph, as before', () => {
    expect(titled('First words.\n\nSecond words.').summary).toBe('First words.')
  })

  it.each([
    [
      'only a table',
      '| Engine | Power |\n| --- | --- |\n| Difference Engine | 1 kW |',
      'Engine Power Difference Engine 1 kW',
    ],
    ['only code', '```js\nconst engine = 1\n```', 'const engine = 1'],
    ['only a list', '- gears\n- levers', 'gears levers'],
    ['only an image', '![Babbage at work](/images/babbage.jpg)', 'Babbage at work'],
    [
      'only a figure',
      '<figure><img src="/a.jpg" alt="The engine"><figcaption>The engine in 1832</figcaption></figure>',
      'The engine in 1832',
    ],
    ['only a video link', '<https://video.example/watch?v=1>', 'https://video.example/watch?v=1'],
  ])('comes from the words of a body with %s', (_name, body, summary) => {
    expect(titled(body).summary).toBe(summary)
  })

  it('is the lead image caption, else its alt text, when the body has no words', () => {
    const iframe = '<iframe src="https://video.example/embed/1"></iframe>'
    const image = (lines: string) => `image:\n  url: /a.jpg\n${lines}`
    expect(titled(iframe, image('  alt: The engine\n  caption: Built in 1832\n')).summary).toBe(
      'Built in 1832',
    )
    expect(titled(iframe, image('  alt: The engine\n')).summary).toBe('The engine')
  })

  it('is the title when there is nothing else', () => {
    const article = titled('<iframe src="https://video.example/embed/1"></iframe>')
    expect(article.summary).toBe('Engines')
    expect(article.contentHtml).toBe('')
  })

  it('is cut at a word near 300 characters', () => {
    const words = Array(100).fill('engine').join(' ')
    const summary = titled(`| ${words} |\n| --- |`).summary
    expect(summary).toBe(`${Array(42).fill('engine').join(' ')}…`)
  })
})

describe('control characters in front matter', () => {
  it.each([
    ['title', articleFile({ title: '"Bell\\u0007"' }), 'title: holds U+0007 at column 5'],
    ['summary', articleFile({ summary: '"\\u0001 start"' }), 'summary: holds U+0001 at column 1'],
    ['a tag', articleFile({ tags: '["ok", "a\\u001Fb"]' }), 'tags.1: holds U+001F at column 2'],
    [
      'an image alt text',
      articleFile({ image: '{ url: /a.jpg, alt: "x\\u000By" }' }),
      'image.alt: holds U+000B at column 2',
    ],
    [
      'an image caption',
      articleFile({ image: '{ alt: a, caption: "\\u000C" }' }),
      'image.caption: holds U+000C at column 1',
    ],
    [
      'an image credit',
      articleFile({ image: '{ alt: a, credit: "Ré\\u0000" }' }),
      'image.credit: holds U+0000 at column 3',
    ],
    [
      'an attachment title',
      articleFile({ attachments: '[{ url: /a.mp3, type: audio/mpeg, title: "\\u0010" }]' }),
      'attachments.0.title: holds U+0010 at column 1',
    ],
  ])('in %s are an error naming the file, field and character', (_name, file, message) => {
    expect(problemsOf(contentFiles({ [FILE]: file }))).toEqual([`${FILE}: ${message}`])
  })

  it('in an author name are an error naming the author file', () => {
    const files = contentFiles({ 'content/authors/ada-lovelace.yaml': 'name: "Ada\\u0002"\n' })
    expect(problemsOf(files)).toContain(
      'content/authors/ada-lovelace.yaml: name: holds U+0002 at column 4',
    )
  })
})

describe('a front-matter slug', () => {
  it.each([
    ['con', 'is a device name Windows reserves ("con"); a slug becomes a file name, use "con-1"'],
    ['"ab\\u200Dcd"', 'holds the invisible character U+200D'],
    ['"ab\\u00ADcd"', 'holds the invisible character U+00AD'],
    [`${'a'.repeat(201)}`, 'is 201 bytes in UTF-8; a slug has at most 200'],
  ])('%s is refused', (slug, message) => {
    expect(problemsOf(contentFiles({ [FILE]: articleFile({ slug }) }))).toEqual([
      `${FILE}: slug: ${message}`,
    ])
  })

  it('is required when the file name is a device name', () => {
    const files = contentFiles({ [FILE]: null, 'content/articles/nul.md': articleFile() })
    expect(problemsOf(files)).toEqual([
      'content/articles/nul.md: slug: is missing and the file name "nul" is not a slug: it is a device name Windows reserves ("nul"); a slug becomes a file name, use "nul-1"',
    ])
  })
})

describe('attachments', () => {
  const withAttachments = (yaml: string) => articleFile({ attachments: yaml })

  it('are resolved against the site and kept in order', () => {
    const article = loadOne(
      withAttachments(
        '[{ url: /media/e12.mp3, type: Audio/MPEG, length: 24986239, duration: 1561, title: Episode 12 }, { url: "https://cdn.example/t.pdf", type: application/pdf }]',
      ),
    )
    expect(article.attachments).toEqual([
      {
        url: 'https://news.test/media/e12.mp3',
        type: 'audio/mpeg',
        length: 24986239,
        duration: 1561,
        title: 'Episode 12',
      },
      { url: 'https://cdn.example/t.pdf', type: 'application/pdf' },
    ])
  })

  it('are left out of the model when there are none', () => {
    expect(loadOne(articleFile())).not.toHaveProperty('attachments')
    expect(loadOne(withAttachments('[]'))).not.toHaveProperty('attachments')
  })

  it.each([
    [
      'a URL that is neither http(s) nor a path',
      '[{ url: "ftp://x.test/a.mp3", type: audio/mpeg }]',
      'attachments.0.url: must be an http(s) URL or a path starting with /, got "ftp://x.test/a.mp3"',
    ],
    [
      'a type without a subtype',
      '[{ url: /a.mp3, type: audio }]',
      'attachments.0.type: must be a MIME type (type/subtype) such as audio/mpeg, got "audio"',
    ],
    [
      'a type with parameters',
      '[{ url: /a.mp3, type: "audio/mpeg; q=1" }]',
      'attachments.0.type: must be a MIME type (type/subtype) such as audio/mpeg, got "audio/mpeg; q=1"',
    ],
    [
      'a length of 0',
      '[{ url: /a.mp3, type: audio/mpeg, length: 0 }]',
      'attachments.0.length: must be a length in bytes, at least 1',
    ],
    [
      'a length in megabytes',
      '[{ url: /a.mp3, type: audio/mpeg, length: 2.5 }]',
      'attachments.0.length: must be a length in bytes, at least 1',
    ],
    [
      'a negative duration',
      '[{ url: /a.mp3, type: audio/mpeg, duration: -1 }]',
      'attachments.0.duration: must not be negative',
    ],
    ['a missing type', '[{ url: /a.mp3 }]', 'attachments.0.type: is required'],
    [
      'an unknown field',
      '[{ url: /a.mp3, type: audio/mpeg, size: 3 }]',
      'attachments.0.size: is not a known field',
    ],
    [
      'a single mapping instead of a list',
      '{ url: /a.mp3, type: audio/mpeg }',
      'attachments: must be a list of attachments ({ url, type, length, duration, title })',
    ],
  ])('with %s are refused', (_name, yaml, message) => {
    expect(problemsOf(contentFiles({ [FILE]: withAttachments(yaml) }))).toEqual([
      `${FILE}: ${message}`,
    ])
  })

  it('need a slug through the publish API when the article is untitled', () => {
    const result = articleFromRequest({
      id: 'urn:uuid:11111111-2222-4333-8444-555555555555',
      json: {
        author: 'ada-lovelace',
        published: '2026-01-02T03:04:05Z',
        categories: ['science'],
        body: 'Listen.',
      },
      catalog: contractCatalog(),
      now: TEST_NOW,
    })
    expect(result).toEqual({
      problems: [
        {
          field: 'slug',
          message: 'is required for an untitled article (there is no title to make one from)',
        },
      ],
    })
  })

  it('are accepted by the publish API, as content/ takes them', () => {
    const result = articleFromRequest({
      id: 'urn:uuid:11111111-2222-4333-8444-555555555555',
      json: {
        slug: 'episode-12',
        author: 'ada-lovelace',
        published: '2026-01-02T03:04:05Z',
        categories: ['science'],
        body: 'Listen.',
        attachments: [{ url: '/media/e12.mp3', type: 'audio/mpeg', length: 10 }],
      },
      catalog: contractCatalog(),
      now: TEST_NOW,
    })
    expect(result).toMatchObject({
      article: {
        title: '',
        summary: 'Listen.',
        attachments: [{ url: 'https://news.test/media/e12.mp3', type: 'audio/mpeg', length: 10 }],
      },
    })
  })
})
