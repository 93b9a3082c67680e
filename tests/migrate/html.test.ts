import { describe, expect, it } from 'vitest'
import { renderHtml, renderMarkdown } from '../../src/content/markdown'
import { cleanWordPressHtml, emptyNotes, htmlToMarkdown } from '../../src/migrate/html'

const BASE = 'https://news.test'

// What a reader sees of a body: its text, where its links go, which images it shows.
function seen(html: string) {
  const text = html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
  const links = [...html.matchAll(/<a [^>]*href="([^"]*)"/g)].map((m) => m[1])
  const images = [...html.matchAll(/<img [^>]*src="([^"]*)"/g)].map((m) => m[1])
  return { text, links, images }
}

// The source as the build would show it, against the migrated Markdown as the build shows it.
function roundTrip(source: string) {
  const markdown = htmlToMarkdown(source)
  return {
    before: seen(renderHtml(source, BASE).html),
    after: seen(renderMarkdown(markdown, BASE).html),
    markdown,
  }
}

const BODIES: [string, string][] = [
  [
    'paragraphs, emphasis and links',
    '<p>The <strong>harbour</strong> reopened, <em>at last</em>. See <a href="https://example.com/a?b=1&amp;c=2">the notice</a>.</p><p>Second paragraph.</p>',
  ],
  [
    'headings and lists',
    '<h2>What happened</h2><ul><li>One <b>thing</b></li><li>Another</li></ul><ol><li>First</li><li>Second</li></ol><h3>Why</h3><p>Because.</p>',
  ],
  [
    'a quote and code',
    '<blockquote><p>"It is open," she said.</p></blockquote><pre><code>if (a &lt; b) { sail() }</code></pre><p>Inline <code>x * y</code> and a literal *star* and [brackets].</p>',
  ],
  [
    'a table',
    '<table><thead><tr><th>Day</th><th>Boats</th></tr></thead><tbody><tr><td>Monday</td><td>12</td></tr><tr><td>Tuesday</td><td>20</td></tr></tbody></table>',
  ],
  [
    'a table with merged cells',
    '<table><tr><th colspan="2">Week</th></tr><tr><td>Mon</td><td>12</td></tr></table>',
  ],
  [
    'a figure with a caption',
    '<figure><img src="https://example.com/a.jpg" alt="Boats"><figcaption>Boats at dawn</figcaption></figure><p>After.</p>',
  ],
  [
    'images and relative links',
    '<p><img src="/wp-content/a.png" alt="A chart"> See <a href="/2026/01/01/older/">the older story</a>.</p>',
  ],
  ['line breaks and entities', '<p>Line one<br>line two &amp; more &mdash; “quoted” café</p>'],
  [
    'sub, sup and marks',
    '<p>H<sub>2</sub>O, E = mc<sup>2</sup>, <mark>marked</mark>, <u>underlined</u>.</p>',
  ],
  [
    'nested lists',
    '<ul><li>Outer<ul><li>Inner one</li><li>Inner two</li></ul></li><li>Last</li></ul>',
  ],
]

describe('HTML bodies become Markdown that shows the same text, links and images', () => {
  it.each(BODIES)('%s', (_, source) => {
    const { before, after } = roundTrip(source)
    expect(after.text).toBe(before.text)
    expect(after.links).toEqual(before.links)
    expect(after.images).toEqual(before.images)
  })

  it('writes Markdown where Markdown can say it, and HTML where it cannot', () => {
    expect(roundTrip(BODIES[1]?.[1] as string).markdown).toBe(
      '## What happened\n\n- One **thing**\n- Another\n\n1. First\n2. Second\n\n### Why\n\nBecause.\n',
    )
    expect(roundTrip(BODIES[3]?.[1] as string).markdown).toContain('| Day     | Boats |')
    expect(roundTrip(BODIES[4]?.[1] as string).markdown).toContain('<th colspan="2">Week</th>')
  })

  it('a frame the sanitiser would drop becomes a link to what it showed', () => {
    const notes = emptyNotes()
    expect(
      htmlToMarkdown(
        '<iframe src="https://www.youtube.com/embed/abc" title="Harbour video"></iframe>',
        notes,
      ),
    ).toBe('[Harbour video](https://www.youtube.com/embed/abc)\n')
    expect(notes.frames).toBe(1)
  })
})

describe('WordPress bodies', () => {
  it('classic-editor text: blank lines are paragraphs, a single newline a line break', () => {
    const html = cleanWordPressHtml(
      'First paragraph\nstill first.\n\nSecond paragraph.',
      emptyNotes(),
    )
    expect(html).toBe('<p>First paragraph<br>\nstill first.</p>\n<p>Second paragraph.</p>')
  })

  it('Gutenberg block comments are removed, never shown', () => {
    const notes = emptyNotes()
    const markdown = htmlToMarkdown(
      cleanWordPressHtml(
        '<!-- wp:paragraph {"align":"center"} -->\n<p>Centred.</p>\n<!-- /wp:paragraph -->',
        notes,
      ),
      notes,
    )
    expect(markdown).toBe('Centred.\n')
  })

  it('shortcodes: captions become figures, embeds links, galleries go; unknown ones stay text, never markup', () => {
    const notes = emptyNotes()
    const markdown = htmlToMarkdown(
      cleanWordPressHtml(
        '[caption id="a" width="300"]<img src="https://x.test/a.jpg" alt="A" /> The caption[/caption]\n\n[embed]https://video.test/1[/embed]\n\n[gallery ids="1,2"]\n\n[contact-form-7 id="5"] and [sic].',
        notes,
      ),
      notes,
    )
    expect(markdown).toBe(
      '<figure><img src="https://x.test/a.jpg" alt="A"><figcaption>The caption</figcaption></figure>\n\n<https://video.test/1>\n\n\\[contact-form-7 id="5"] and \\[sic].\n',
    )
    expect(Object.fromEntries(notes.shortcodes)).toEqual({ caption: 1, embed: 1, gallery: 1 })
    // What renders is text: the brackets are escaped, not turned into a link.
    expect(renderMarkdown(markdown, BASE).html).toContain('[contact-form-7 id="5"] and [sic].')
  })
})
