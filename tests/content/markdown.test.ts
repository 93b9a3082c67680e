import { describe, expect, it } from 'vitest'
import { renderMarkdown } from '../../src/content/markdown'

const BASE = 'https://news.test/articles/a/'

describe('renderMarkdown', () => {
  it('renders Markdown with quotations as blockquotes and lists', () => {
    const { html } = renderMarkdown(
      '## Need to know\n\n- one\n- two\n\n> "Quoted," said she.',
      BASE,
    )
    expect(html).toBe(
      '<h2>Need to know</h2>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<blockquote>\n<p>"Quoted," said she.</p>\n</blockquote>',
    )
  })

  it('makes relative and protocol-relative links and images absolute against the article URL', () => {
    const { html } = renderMarkdown(
      '[up](../b/) [root](/c?x=1&y=2) [proto](//cdn.test/d) ![i](img.png)',
      BASE,
    )
    expect(html).toContain('href="https://news.test/articles/b/"')
    expect(html).toContain('href="https://news.test/c?x=1&#x26;y=2"')
    expect(html).toContain('href="https://cdn.test/d"')
    expect(html).toContain('src="https://news.test/articles/a/img.png"')
  })

  it('removes scripts, iframes, objects, event handlers and javascript: URLs, keeping the text around them', () => {
    const { html } = renderMarkdown(
      'Before <script>alert(1)</script><iframe src="https://evil.test"></iframe><object data="x"></object> after.\n\n' +
        '<img src="/x.png" onerror="alert(1)"> <a href="javascript:alert(1)" onclick="steal()">click</a> <a href="JaVaScRiPt:alert(2)">two</a> <a href="&#106;avascript:alert(3)">three</a>',
      BASE,
    )
    expect(html).not.toMatch(/<script|<iframe|<object|onerror|onclick|javascript:/i)
    expect(html).toContain('Before')
    expect(html).toContain('after.')
    expect(html).toContain('<img src="https://news.test/x.png">')
    expect(html).toContain('<a>click</a>')
  })

  it('balances stray and unclosed tags so the HTML is well-formed', () => {
    const { html } = renderMarkdown('<div><b>bold <i>both</div> stray </span></p>', BASE)
    const opened = [...html.matchAll(/<([a-z]+)[\s>]/g)]
      .map((m) => m[1])
      .filter((t) => t !== 'img' && t !== 'br')
    const closed = [...html.matchAll(/<\/([a-z]+)>/g)].map((m) => m[1])
    expect(closed.sort()).toEqual(opened.sort())
  })

  it('keeps figures with captions', () => {
    const { html } = renderMarkdown(
      '<figure><img src="/a.jpg" alt="A"><figcaption>Credit: Jo</figcaption></figure>',
      BASE,
    )
    expect(html).toBe(
      '<figure><img src="https://news.test/a.jpg" alt="A"><figcaption>Credit: Jo</figcaption></figure>',
    )
  })

  it('gives the plain text of the first paragraph as the lead', () => {
    expect(renderMarkdown('# Title\n\nFirst *para* &amp; [link](x).\n\nSecond.', BASE).lead).toBe(
      'First para & link.',
    )
  })
})
