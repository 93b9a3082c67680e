import fc from 'fast-check'
import type Token from 'markdown-it/lib/token.mjs'
import { describe, expect, it } from 'vitest'
import { ADVERSARIAL_FAMILIES, PROSE_FAMILY } from '../../scripts/adversarial'
import { BODY_LIMITS, BodyLimitError } from '../../src/content/bounds'
import { renderMarkdown } from '../../src/content/markdown'
import { tokenizeMarkdown } from '../../src/content/markdown-html'

const BASE = 'https://news.test/articles/a/'

describe('renderMarkdown with markdown-it', () => {
  // Hand-written expectations of GitHub-flavoured Markdown (GFM §4.10, §6.5, §6.9).
  it.each([
    ['~~gone~~', '<p><del>gone</del></p>'],
    [
      '| a | b |\n|:-|-:|\n| 1 | 2 |',
      '<table>\n<thead>\n<tr>\n<th align="left">a</th>\n<th align="right">b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td align="left">1</td>\n<td align="right">2</td>\n</tr>\n</tbody>\n</table>',
    ],
    [
      'www.web.dev and x@news.dev',
      '<p><a href="http://www.web.dev/">www.web.dev</a> and <a href="mailto:x@news.dev">x@news.dev</a></p>',
    ],
    ['report.md and node.js', '<p>report.md and node.js</p>'],
    ['[click](javascript:alert(1))', '<p><a>click</a></p>'],
    ['<div>raw *x*</div>\n\n*y*', '<div>raw *x*</div>\n<p><em>y</em></p>'],
    ['a "quote" -- (c)', '<p>a "quote" -- (c)</p>'],
  ])('renders %j', (markdown, html) => {
    expect(renderMarkdown(markdown, BASE).html).toBe(html)
  })

  it('links each footnote to its note and back, under the ids the sanitiser gives', () => {
    const { html } = renderMarkdown('Said[^1].\n\n[^1]: A note.', BASE)
    expect(html).toContain(
      `<sup><a href="${BASE}#user-content-fn-1" id="user-content-fnref-1" data-footnote-ref="">1</a></sup>`,
    )
    expect(html).toContain('<li id="user-content-fn-1"><p>A note. ')
    expect(html).toContain(`<a href="${BASE}#user-content-fnref-1" data-footnote-backref=""`)
  })

  it('renders the deepest body the limits let through to its last word', () => {
    const deepest = `${'>'.repeat(BODY_LIMITS.quoteDepth)} ${'- '.repeat(BODY_LIMITS.listDepth)}last`
    const { html } = renderMarkdown(deepest, BASE)
    expect(html.match(/<blockquote>/g)).toHaveLength(BODY_LIMITS.quoteDepth)
    expect(html.match(/<ul>/g)).toHaveLength(BODY_LIMITS.listDepth)
    expect(html).toContain('<li>last</li>')
  })
})

// Every token markdown-it makes, inline ones included: the parser's work on a body.
const countTokens = (tokens: Token[]): number =>
  tokens.reduce((sum, token) => sum + 1 + countTokens(token.children ?? []), 0)

describe('markdown-it on hostile bodies', () => {
  const families = [PROSE_FAMILY, ...ADVERSARIAL_FAMILIES].filter((f) => f.format === 'markdown')

  // A count, not a time: it cannot flake on a loaded machine. Tiles repeat one unit, so a body
  // 16 times larger must give as many tokens per byte, not more.
  it.each(families.map((family) => [family.name, family]))(
    '%s: 16 times the body gives 16 times the tokens',
    (_, family) => {
      const density = (bytes: number) => {
        const body = family.beyondBudget(bytes)
        return countTokens(tokenizeMarkdown(body)) / body.length
      }
      // Within the element budget, which stops the parse itself.
      const growth = density(96 * 1024) / density(6 * 1024)
      expect(growth).toBeGreaterThan(0.95)
      expect(growth).toBeLessThan(1.05)
    },
  )

  const unit = fc.oneof(
    fc.integer({ min: 1, max: 40 }).map((n) => `${'> '.repeat(n)}q`),
    fc.integer({ min: 1, max: 40 }).map((n) => `${'- '.repeat(n)}l`),
    fc.integer({ min: 1, max: 40 }).map((n) => `${'  '.repeat(n)}- i`),
    fc.integer({ min: 1, max: 300 }).map((n) => `${'<div>'.repeat(n)}d`),
    fc.integer({ min: 1, max: 1200 }).map((n) => '**_'.repeat(n)),
    fc.integer({ min: 1, max: 40 }).map((n) => `${'['.repeat(n)}x${']('.repeat(n)}`),
    fc.integer({ min: 1, max: 70 }).map((n) => `${'| a '.repeat(n)}|\n${'|---'.repeat(n)}|`),
    fc.constantFrom('[^1]', '[^1]: n', '~~s~~', 'www.a.com', '`c`', '```', '<!--', '&#0;', '\\'),
    fc.string({ maxLength: 20 }),
  )
  const separator = fc.constantFrom('', ' ', '\n', '\n\n', '\n> ', '\n- ', '\n    ')

  it('never throws anything but a BodyLimitError', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(unit, separator), { maxLength: 10 }), (pieces) => {
        const body = pieces.map(([piece, sep]) => piece + sep).join('')
        try {
          expect(renderMarkdown(body, BASE).html).toBeTypeOf('string')
        } catch (error) {
          expect(error).toBeInstanceOf(BodyLimitError)
        }
      }),
      { numRuns: 150 },
    )
  })
})
