/**
 * The HTML elements a Markdown body makes, counted from markdown-it's tokens before they are
 * rendered: each token that opens an element, each that is one, and the tags of raw HTML. The
 * count runs while markdown-it parses, so a body past the budget stops the parse where it
 * passes it, and again over the finished tokens.
 */
import type Token from 'markdown-it/lib/token.mjs'
import { BODY_LIMITS, BodyLimitError, describeElements } from './bounds'
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

// Block tokens that may write nothing in the end: a tight list's paragraph (hidden once the
// list is parsed) and a footnote's wrapper (moved into the footnotes' block).
const MAY_VANISH = new Set(['paragraph_open', 'footnote_reference_open'])

const lineOf = (token: Token) => (token.map?.[0] ?? 0) + 1

// One token, and its children but an image's (its alt text, written as an attribute).
function countToken(token: Token, counter: TagCounter): void {
  if (token.type === 'html_block' || token.type === 'html_inline')
    counter.feed(token.content, lineOf(token))
  else if (TEXT.has(token.type)) counter.tally.text()
  // A hidden token (a tight list's paragraph) writes nothing.
  else if (!token.hidden)
    counter.tally.add(ELEMENTS_OF[token.type] ?? (token.nesting === 1 ? 1 : 0))
  if (token.children && token.type !== 'image')
    for (const child of token.children) countToken(child, counter)
}

/** Counts a body's elements while markdown-it parses it; throws once they pass the budget. */
export interface TokenBudget {
  /** Counts the block tokens made since the last call, those that may vanish aside. */
  countBlocks(tokens: readonly Token[]): void
  /** Counts a finished block token with its inline children. */
  countToken(token: Token): void
}

/** A TokenBudget at zero, for one parse. */
export function createTokenBudget(): TokenBudget {
  let seen = 0
  let blocks = 0
  const counter = createTagCounter()
  const refuse = (token: Token) => {
    throw new BodyLimitError(describeElements(lineOf(token)))
  }
  return {
    countBlocks(tokens) {
      for (; seen < tokens.length; seen += 1) {
        const token = tokens[seen] as Token
        if (token.nesting === 1 && !MAY_VANISH.has(token.type) && ++blocks > BODY_LIMITS.elements)
          refuse(token)
      }
    },
    countToken(token) {
      countToken(token, counter)
      if (counter.tally.count() > BODY_LIMITS.elements) refuse(token)
    },
  }
}

/** The HTML elements markdown-it writes for `tokens`, raw HTML's start tags included. */
export function countMarkdownElements(tokens: readonly Token[]): number {
  const counter = createTagCounter()
  for (const token of tokens) countToken(token, counter)
  return counter.tally.count()
}

/**
 * Says where parsed Markdown passes BODY_LIMITS.elements, or undefined: the final count, with
 * the links that autolinking added after the parse.
 */
export function checkMarkdownElements(tokens: readonly Token[]): string | undefined {
  const counter = createTagCounter()
  for (const token of tokens) {
    countToken(token, counter)
    if (counter.tally.count() > BODY_LIMITS.elements) return describeElements(lineOf(token))
  }
  return undefined
}
