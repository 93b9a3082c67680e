/**
 * Footnotes (`text[^1]` and `[^1]: note`) written the way GitHub writes them, so the sanitiser
 * keeps their attributes: it prefixes every `id` with `user-content-`, and the links here point
 * at the prefixed names.
 */
import type { default as MarkdownIt, PluginSimple } from 'markdown-it'
import type Token from 'markdown-it/lib/token.mjs'
import markdownItFootnote from 'markdown-it-footnote'

// The clobber prefix of hast-util-sanitize's default schema.
const PREFIX = 'user-content-'

const numberOf = (token: Token): string => String(Number(token.meta.id) + 1)
// A note cited twice has back links `fnref-1` and `fnref-1-2`.
const refOf = (token: Token): string =>
  token.meta.subId > 0 ? `${numberOf(token)}-${token.meta.subId + 1}` : numberOf(token)

/** Adds footnotes to `parser`, with GitHub's markup. */
export function useFootnotes(parser: MarkdownIt): void {
  // The plugin's declarations are written against an older markdown-it type.
  parser.use(markdownItFootnote as unknown as PluginSimple)
  const rules = parser.renderer.rules
  rules.footnote_ref = (tokens, idx) => {
    const token = tokens[idx] as Token
    const n = numberOf(token)
    return `<sup><a href="#${PREFIX}fn-${n}" id="fnref-${refOf(token)}" data-footnote-ref>${n}</a></sup>`
  }
  rules.footnote_block_open = () =>
    '<section data-footnotes class="footnotes"><h2 class="sr-only" id="footnote-label">Footnotes</h2>\n<ol>\n'
  rules.footnote_block_close = () => '</ol>\n</section>\n'
  rules.footnote_open = (tokens, idx) => `<li id="fn-${numberOf(tokens[idx] as Token)}">`
  rules.footnote_anchor = (tokens, idx) =>
    ` <a href="#${PREFIX}fnref-${refOf(tokens[idx] as Token)}" data-footnote-backref class="data-footnote-backref">↩</a>`
}
