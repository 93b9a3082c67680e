/**
 * The HTML elements a Markdown body makes, counted from markdown-it's tokens before they are
 * rendered: each token that opens an element, each that is one, and the tags of raw HTML.
 */
import type Token from 'markdown-it/lib/token.mjs'
import { describeElements } from './bounds'
import { createTagCounter, type TagCounter } from './bounds-html'

// Tokens whose HTML is not one element for an opening token and none for the rest: what
// markdown-it's renderer and the footnote rules (markdown-footnotes.ts) write for each.
const ELEMENTS_OF: Readonly<Record<string, number>> = {
  code_inline: 1, // <code>
  code_block: 2, // <pre><code>
  fence: 2, // <pre><code>
  hr: 1,
  image: 1,
  hardbreak: 1, // <br>; a softbreak is a line break in the text
  footnote_ref: 2, // <sup><a>
  footnote_anchor: 1, // <a>
  footnote_block_open: 3, // <section><h2><ol>
}

// Tokens written as text, before which the parser rebuilds formatting elements left open.
const TEXT = new Set(['text', 'text_special', 'softbreak'])

function countTokens(tokens: readonly Token[], counter: TagCounter): void {
  for (const token of tokens) {
    if (token.type === 'html_block' || token.type === 'html_inline')
      counter.feed(token.content, (token.map?.[0] ?? 0) + 1)
    else if (TEXT.has(token.type)) counter.tally.text()
    // A hidden token (a tight list's paragraph) writes nothing.
    else if (!token.hidden)
      counter.tally.add(ELEMENTS_OF[token.type] ?? (token.nesting === 1 ? 1 : 0))
    // An image's children are its alt text, written as an attribute.
    if (token.children && token.type !== 'image') countTokens(token.children, counter)
  }
}

/** The HTML elements markdown-it writes for `tokens`, raw HTML's start tags included. */
export function countMarkdownElements(tokens: readonly Token[]): number {
  const counter = createTagCounter()
  countTokens(tokens, counter)
  return counter.tally.count()
}

/** Says whether parsed Markdown makes more elements than BODY_LIMITS.elements, or undefined. */
export function checkMarkdownElements(tokens: readonly Token[]): string | undefined {
  return describeElements(countMarkdownElements(tokens))
}
