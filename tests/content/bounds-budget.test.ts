import fc from 'fast-check'
import rehypeParse from 'rehype-parse'
import { unified } from 'unified'
import { describe, expect, it } from 'vitest'
import { ADVERSARIAL_FAMILIES, PROSE_FAMILY } from '../../scripts/adversarial'
import { BODY_LIMITS, BodyLimitError, measureTree } from '../../src/content/bounds'
import { checkHtmlBounds } from '../../src/content/bounds-html'
import { countMarkdownElements } from '../../src/content/bounds-tokens'
import { renderHtml, renderMarkdown } from '../../src/content/markdown'
import { convertMarkdownToHtml, parseMarkdown } from '../../src/content/markdown-html'
import { articleFile, contentFiles, problemsOf } from '../helpers/content'

const BASE = 'https://news.test/articles/a/'

// The oracle: start tags in HTML (markdown-it escapes every `<` of text as `&lt;`).
const countStartTags = (html: string) => html.match(/<[a-zA-Z]/g)?.length ?? 0
// The oracle for HTML bodies: the elements the HTML parser itself builds.
const countParsed = (html: string) =>
  measureTree(unified().use(rehypeParse, { fragment: true }).parse(html)).elements
// What `run` returns, or what it throws.
function attempt<T>(run: () => T): T | unknown {
  try {
    return run()
  } catch (error) {
    return error
  }
}
const countMarkdown = (markdown: string) => countMarkdownElements(parseMarkdown(markdown).tokens)

// 32 nested quotes and a paragraph: 33 elements in 36 bytes. The block parser counts the
// quotes alone, so it passes 100,000 at the first quote of unit 3,126, on line 6,251.
const QUOTES = `${'>'.repeat(BODY_LIMITS.quoteDepth)} a\n\n`.repeat(4000)
const QUOTES_MESSAGE = 'makes more than 100,000 HTML elements (line 6,251)'
// 200 bold elements left open, then 500 paragraphs: the HTML parser rebuilds the 200 in each
// (HTML §13.2.4.3), 1 + 200 + 500 × 201 elements from 701 start tags.
const REBUILT = `<p>${Array.from({ length: 200 }, (_, i) => `<b class="c${i}">`).join('')}</p>${'<p>x</p>'.repeat(500)}`

describe('countMarkdownElements', () => {
  // Hand-counted: what markdown-it writes for each.
  it.each([
    ['> a', 2], // blockquote, p
    ['- a\n- b', 3], // ul, li, li: a tight list writes no p
    ['- a\n\n- b', 5], // ul, li, p, li, p
    ['| a | b |\n|-|-|\n| 1 | 2 |', 9], // table, thead, tr, th × 2, tbody, tr, td × 2
    ['a[^1]\n\n[^1]: n', 9], // p, sup, a; section, h2, ol, li, p, a
    ['![alt *x*](i.png)', 2], // p, img: the alt text is an attribute
    ['```\ncode\n```', 2], // pre, code
    ['a  \nb', 2], // p, br
    ['<div>\n<b>x</b><i>y</i>\n</div>', 3], // raw HTML: div, b, i
    ['a <b>x</b> c', 2], // p, b
    ['www.a.com', 2], // p, a
  ])('counts %j as %i', (markdown, count) => {
    expect(countMarkdown(markdown)).toBe(count)
  })

  it('counts what markdown-it writes, for random Markdown', () => {
    const piece = fc.constantFrom(
      '> q',
      '- l',
      '1. o',
      '  - i',
      '**b**',
      '_e_',
      '~~s~~',
      '`c`',
      '[l](/u)',
      '![i](/p.png)',
      '[^1]',
      '[^1]: n',
      '| a | b |\n|-|-|\n| 1 | 2 |',
      '```\nf\n```',
      '    code',
      '---',
      '# h',
      'www.a.com',
      'word',
      '  \n',
    )
    const separator = fc.constantFrom(' ', '\n', '\n\n')
    fc.assert(
      fc.property(fc.array(fc.tuple(piece, separator), { maxLength: 30 }), (pieces) => {
        const body = pieces.map(([p, s]) => p + s).join('')
        expect(countMarkdown(body)).toBe(countStartTags(convertMarkdownToHtml(body)))
      }),
      { numRuns: 200 },
    )
  })
})

describe('the element budget', () => {
  it('refuses Markdown past it while parsing, naming the line where it passes', () => {
    expect(() => parseMarkdown(QUOTES)).toThrow(new BodyLimitError(QUOTES_MESSAGE))
    expect(() => renderMarkdown(QUOTES, BASE)).toThrow(new BodyLimitError(QUOTES_MESSAGE))
  })

  it('counts the tags of raw HTML in Markdown, a block or inline', () => {
    const block = (n: number) => `<div>\n${'<b>x</b>'.repeat(n)}\n</div>`
    expect(countMarkdown(block(99_999))).toBe(100_000)
    expect(() => renderMarkdown(block(100_000), BASE)).toThrow(
      new BodyLimitError('makes more than 100,000 HTML elements (line 1)'),
    )
    expect(() => renderMarkdown(`para\n\na ${'<i>x</i>'.repeat(100_000)}`, BASE)).toThrow(
      new BodyLimitError('makes more than 100,000 HTML elements (line 3)'),
    )
  })

  it('refuses an HTML body past it before parsing, and takes one at it', () => {
    expect(checkHtmlBounds('<br>'.repeat(100_000))).toBeUndefined()
    expect(checkHtmlBounds('<br>'.repeat(100_001))).toBe(
      'makes more than 100,000 HTML elements (line 1)',
    )
    expect(checkHtmlBounds('<p>x</p>\n'.repeat(100_001))).toBe(
      'makes more than 100,000 HTML elements (line 100,001)',
    )
  })

  it('counts the formatting elements the HTML parser rebuilds', () => {
    expect(countParsed(REBUILT)).toBe(1 + 200 + 500 * 201)
    expect(checkHtmlBounds(REBUILT)).toBe('makes more than 100,000 HTML elements (line 1)')
    // The same through Markdown: raw HTML leaves them open, each paragraph rebuilds them.
    const markdown = `${REBUILT.slice(0, REBUILT.indexOf('</p>') + 4)}\n\n${'x\n\n'.repeat(500)}`
    expect(() => renderMarkdown(markdown, BASE)).toThrow(/^makes more than 100,000 HTML/)
  })

  it('counts the parsed tree again before sanitising it: clones are made by no tag', () => {
    // `</b>` closing across a `<div>` clones the `<b>` into it (HTML §13.2.6.4.7, the
    // adoption agency): 3 elements from 2 start tags, 105,000 from 70,000.
    const body = '<b><div></b>x</div>'.repeat(35_000)
    expect(countParsed(body)).toBe(105_000)
    expect(checkHtmlBounds(body)).toBeUndefined()
    expect(() => renderHtml(body, BASE)).toThrow(
      new BodyLimitError('makes more than 100,000 HTML elements'),
    )
  })

  it('is a problem of the article in the build, naming the limit', () => {
    const files = contentFiles({ 'content/articles/engines.md': articleFile({}, QUOTES) })
    expect(problemsOf(files)).toEqual([`content/articles/engines.md: body: ${QUOTES_MESSAGE}`])
  })
})

describe('hostile families and the element budget', () => {
  const families = [PROSE_FAMILY, ...ADVERSARIAL_FAMILIES]
  const render = (format: 'markdown' | 'html', body: string) =>
    format === 'html' ? renderHtml(body, BASE) : renderMarkdown(body, BASE)
  const count = (format: 'markdown' | 'html', body: string) =>
    format === 'html' ? countParsed(body) : countStartTags(convertMarkdownToHtml(body))

  // Counts, not times: each family at its limits stays within the budget at 1 MiB.
  it.each(families.map((family) => [family.name, family] as const))(
    '%s: within the budget at 1 MiB',
    (_, family) => {
      const body = family.atLimit(1 << 20)
      expect(body.length).toBeGreaterThanOrEqual(1 << 20)
      expect(count(family.format, body)).toBeLessThanOrEqual(BODY_LIMITS.elements)
    },
  )

  // The construct unpadded passes the budget from the size its family gives, on a line.
  const past = families.filter((family) => family.budgetFrom !== undefined)
  it.each(past.map((family) => [family.name, family] as const))(
    '%s: refused past the budget',
    (_, family) => {
      expect(() => render(family.format, family.beyondBudget(family.budgetFrom ?? 0))).toThrow(
        /^makes more than 100,000 HTML elements \(line [\d,]+\)$/,
      )
    },
  )

  // The others make fewer elements than the budget even unpadded at 1 MiB.
  const under = families.filter((family) => family.budgetFrom === undefined)
  it.each(under.map((family) => [family.name, family] as const))(
    '%s: within the budget unpadded at 1 MiB',
    (_, family) => {
      const body = family.beyondBudget(1 << 20)
      expect(count(family.format, body)).toBeLessThanOrEqual(BODY_LIMITS.elements)
    },
  )

  // Random bodies of hostile pieces up to a few hundred KiB: each is rendered or refused with
  // a BodyLimitError, and what is rendered holds no more elements than the budget.
  it('renders or refuses random hostile bodies, never more elements than the budget', () => {
    const markdown = families.filter((family) => family.format === 'markdown')
    const piece = fc.record({
      family: fc.constantFrom(...markdown),
      kind: fc.constantFrom('atLimit', 'beyondBudget', 'beyond'),
      kib: fc.integer({ min: 1, max: 120 }),
    })
    const outcomes = new Set<string>()
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 3 }), (pieces) => {
        const body = pieces
          .map(({ family, kind, kib }) =>
            kind === 'beyond' ? family.beyond(kib * 64) : family[kind](kib * 1024),
          )
          .join('\n\n')
        const outcome = attempt(() => renderMarkdown(body, BASE).html)
        outcomes.add(typeof outcome)
        // Rendered within the budget, or refused by a limit: nothing else.
        expect(
          typeof outcome === 'string'
            ? countStartTags(outcome) <= BODY_LIMITS.elements
            : outcome instanceof BodyLimitError,
        ).toBe(true)
      }),
      { numRuns: 12, seed: 19 },
    )
    // Both ends were reached: the property held for bodies rendered and refused.
    expect([...outcomes].sort()).toEqual(['object', 'string'])
  }, 300_000)
})
