/**
 * Markdown to HTML with markdown-it, whose block and inline parsers run in time linear in the
 * body (CommonMark plus GitHub's tables, strikethrough and autolink literals). The HTML it
 * gives is not trusted: the caller parses and sanitises it like any HTML body.
 */
import MarkdownIt, { type Options } from 'markdown-it'
import type Token from 'markdown-it/lib/token.mjs'
import tlds from 'tlds'
import { BODY_LIMITS } from './bounds'
import { createTokenBudget, type TokenBudget } from './bounds-tokens'
import { useFootnotes } from './markdown-footnotes'

/**
 * markdown-it drops the rest of a body silently past this nesting level, so it sits above the
 * deepest body the pre-scan lets through: each blockquote is one level, each list two (list and
 * item), and a table inside them four more (table, section, row, cell).
 */
export const MARKDOWN_NESTING = BODY_LIMITS.quoteDepth + 2 * BODY_LIMITS.listDepth + 8

// `maxNesting` is an option of markdown-it 14 that its type declarations leave out.
const OPTIONS: Options & { maxNesting: number } = {
  // Raw HTML is allowed in a body, then sanitised with the rest (README, "The body").
  html: true,
  linkify: true,
  typographer: false,
  breaks: false,
  maxNesting: MARKDOWN_NESTING,
}

const parser = new MarkdownIt('default', OPTIONS)
useFootnotes(parser)
// Every link and image is built, whatever its scheme; the sanitiser alone judges URLs (it drops
// `javascript:` and `data:`), as it does for HTML bodies, rather than leaving the Markdown as text.
parser.validateLink = () => true

// GFM §6.9 autolinks literals that start with a scheme, `www.` or are an email address, on any
// domain (linkify-it knows a few top-level domains unless given them all); a bare host
// (`report.md`, `node.js`) stays text, so linkify-it's other fuzzy host matches are dropped.
parser.linkify.tlds([...tlds], false)
const matchLinks = parser.linkify.match.bind(parser.linkify)
parser.linkify.match = (text: string) =>
  (matchLinks(text) ?? []).filter(
    (link) => link.schema !== '' || /^www\./i.test(link.raw),
  ) as ReturnType<typeof matchLinks>

// GFM §4.10 aligns a column with `align` on its cells (what the sanitiser keeps), where
// markdown-it writes a `style` the sanitiser would drop; GFM §6.5 strikes text out with `<del>`.
function matchGfm(tokens: Token[]): void {
  for (const token of tokens) {
    const style = token.attrGet('style')
    if ((token.type === 'th_open' || token.type === 'td_open') && style?.startsWith('text-align:'))
      token.attrs = [['align', style.slice('text-align:'.length)]]
    if (token.tag === 's' && token.markup === '~~') token.tag = 'del'
    if (token.children) matchGfm(token.children)
  }
}
parser.core.ruler.push('match_gfm', (state) => {
  matchGfm(state.tokens)
})

/** What a parse carries: the element budget, and what the footnote rules note. */
interface ParseEnv {
  budget: TokenBudget
}

// A body stops parsing where it passes BODY_LIMITS.elements (BodyLimitError): the block
// tokens are counted as the block rules make them, from a rule first in line that matches
// nothing, and each paragraph's inline tokens once parsed, in place of markdown-it's own core
// rule that parses them (the same loop).
parser.block.ruler.before('table', 'element_budget', (state) => {
  ;(state.env as ParseEnv).budget.countBlocks(state.tokens)
  return false
})
parser.core.ruler.at('inline', (state) => {
  const { budget } = state.env as ParseEnv
  for (const token of state.tokens) {
    if (token.type === 'inline')
      state.md.inline.parse(token.content, state.md, state.env, token.children ?? [])
    budget.countToken(token)
  }
})

/** A body parsed once: its tokens, and what the footnote rules noted while parsing. */
export interface ParsedMarkdown {
  tokens: Token[]
  env: ParseEnv
}

/**
 * Parses Markdown into markdown-it's tokens, to be measured and then rendered; throws
 * BodyLimitError as soon as the tokens make more than BODY_LIMITS.elements elements.
 */
export function parseMarkdown(markdown: string): ParsedMarkdown {
  const env: ParseEnv = { budget: createTokenBudget() }
  return { tokens: parser.parse(markdown, env), env }
}

/** Writes parsed Markdown (raw HTML kept as written) as unsanitised HTML. */
export function renderParsedMarkdown(parsed: ParsedMarkdown): string {
  return parser.renderer.render(parsed.tokens, parser.options, parsed.env)
}

/** The tokens markdown-it makes of a body within the element budget: they measure its work. */
export function tokenizeMarkdown(markdown: string): Token[] {
  return parseMarkdown(markdown).tokens
}

/** Renders Markdown (raw HTML kept as written) to unsanitised HTML. */
export function convertMarkdownToHtml(markdown: string): string {
  return renderParsedMarkdown(parseMarkdown(markdown))
}
