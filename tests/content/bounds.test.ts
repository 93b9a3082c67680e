import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ADVERSARIAL_FAMILIES } from '../../scripts/adversarial'
import { BODY_LIMITS, BodyLimitError, measureTree } from '../../src/content/bounds'
import { checkHtmlBounds } from '../../src/content/bounds-html'
import { checkMarkdownBounds } from '../../src/content/bounds-markdown'
import { renderHtml, renderMarkdown } from '../../src/content/markdown'

const BASE = 'https://news.test/articles/a/'
const check = (format: 'markdown' | 'html', body: string) =>
  format === 'html' ? checkHtmlBounds(body) : checkMarkdownBounds(body)
const render = (format: 'markdown' | 'html', body: string) =>
  format === 'html' ? renderHtml(body, BASE) : renderMarkdown(body, BASE)

describe('checkMarkdownBounds', () => {
  // Hand-written expectations: each message states the measure found, its line and the limit.
  it.each([
    ['>'.repeat(2000), 'nests blockquotes 2,000 deep (line 1); at most 32'],
    [`a\n\n> > > b\n${'> '.repeat(33)}`, 'nests blockquotes 33 deep (line 4); at most 32'],
    [`${'- '.repeat(40)}a`, 'nests lists 40 deep (line 1); at most 32'],
    [
      Array.from({ length: 40 }, (_, i) => `${'  '.repeat(i)}- a`).join('\n'),
      'nests lists 40 deep (line 40); at most 32',
    ],
    ['<div>'.repeat(5000), 'nests HTML elements 5,000 deep (line 1); at most 256'],
    [
      `${'| a '.repeat(65)}|\n${'|---'.repeat(65)}|`,
      'has a table row 65 cells wide (line 1); at most 64',
    ],
    [
      '**_'.repeat(20_000),
      'has a paragraph with 40,000 runs of emphasis delimiters (* _ ~) (line 1); at most 1,000',
    ],
    [
      '*a **b '.repeat(501),
      'has a paragraph with 1,002 runs of emphasis delimiters (* _ ~) (line 1); at most 1,000',
    ],
    ['['.repeat(33), 'opens 33 [ brackets in a paragraph (line 1); at most 32'],
  ])('refuses body %#', (body, message) => {
    expect(checkMarkdownBounds(body)).toBe(message)
    expect(() => renderMarkdown(body, BASE)).toThrow(new BodyLimitError(message))
  })

  it.each([
    ['a thematic break of spaced dashes', '- '.repeat(200)],
    ['a tight list of a thousand items', '- item with *emphasis* and _more_\n'.repeat(1000)],
    ['paragraphs apart', `${'*a* '.repeat(400)}\n\n`.repeat(10)],
    ['closed brackets', '[a](b) '.repeat(2000)],
    ['legacy HTML with open <li> and <p>', `<ul>${'<li><p>item'.repeat(3000)}</ul>`],
    ['autolinks', '<https://a.example/> '.repeat(2000)],
    ['escaped delimiters', '\\*'.repeat(3000)],
  ])('accepts %s', (_, body) => {
    expect(checkMarkdownBounds(body)).toBeUndefined()
  })
})

describe('checkHtmlBounds', () => {
  it('counts open elements, not void ones or those closed', () => {
    expect(checkHtmlBounds(`${'<div><br><img src=x>'.repeat(256)}`)).toBeUndefined()
    expect(checkHtmlBounds(`${'<div></div>'.repeat(10_000)}`)).toBeUndefined()
    expect(checkHtmlBounds(`x\n${'<blockquote>'.repeat(257)}`)).toBe(
      'nests HTML elements 257 deep (line 2); at most 256',
    )
  })
})

describe('measureTree', () => {
  it('measures a tree deeper than the stack without recursion', () => {
    let tree = { type: 'leaf' } as { type: string; children?: unknown[] }
    for (let i = 0; i < 100_000; i += 1) tree = { type: 'node', children: [tree] }
    expect(measureTree(tree as never).depth).toBe(100_000)
  })
})

describe('adversarial families', () => {
  for (const family of ADVERSARIAL_FAMILIES) {
    it(`${family.name}: refuses the construct unbounded at 1 MiB, renders it at its limit`, () => {
      expect(check(family.format, family.beyond(1 << 20))).toMatch(
        new RegExp(`^${family.refusal.replace('[', '\\[')}`),
      )
      const atLimit = family.atLimit(2048)
      expect(check(family.format, atLimit)).toBeUndefined()
      expect(render(family.format, atLimit).html.length).toBeGreaterThan(0)
    })
  }

  // Random nestings and runs within the limits render without throwing.
  it('renders random bodies within the limits without throwing', () => {
    const piece = fc.oneof(
      fc.integer({ min: 1, max: BODY_LIMITS.quoteDepth }).map((n) => `${'> '.repeat(n)}q\n\n`),
      fc.integer({ min: 1, max: BODY_LIMITS.listDepth }).map((n) => `${'- '.repeat(n)}l\n\n`),
      fc.integer({ min: 1, max: 64 }).map((n) => `${'<div>'.repeat(n)}d${'</div>'.repeat(n)}\n\n`),
      fc.integer({ min: 1, max: 200 }).map((n) => `${'**_'.repeat(n)}\n\n`),
      fc.integer({ min: 1, max: BODY_LIMITS.bracketDepth }).map((n) => `${'['.repeat(n)}x\n\n`),
      fc
        .integer({ min: 1, max: BODY_LIMITS.tableColumns })
        .map((n) => `${'| a '.repeat(n)}|\n${'|---'.repeat(n)}|\n\n`),
      // Each piece its own block: text glued to the next piece would make another construct.
      fc.string({ maxLength: 40 }).map((text) => `${text}\n\n`),
    )
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const body = pieces.join('')
        expect(checkMarkdownBounds(body)).toBeUndefined()
        expect(() => renderMarkdown(body, BASE)).not.toThrow()
      }),
      { numRuns: 40 },
    )
  })
})
