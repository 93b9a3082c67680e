import type { Element, Root as HastRoot, Text } from 'hast'
import rehypeParse from 'rehype-parse'
import rehypeSanitize, { defaultSchema } from 'rehype-sanitize'
import rehypeStringify from 'rehype-stringify'
import { unified } from 'unified'
import { visit } from 'unist-util-visit'
import { stripInvalidXmlChars } from '../model/text'
import { absoluteUrl, isUrl } from '../model/url'
import { fallbackTextOf } from './body-text'
import { assertTreeBounds, BodyLimitError } from './bounds'
import { checkHtmlBounds } from './bounds-html'
import { checkMarkdownBounds } from './bounds-markdown'
import { checkMarkdownElements } from './bounds-tokens'
import { parseMarkdown, renderParsedMarkdown } from './markdown-html'

/** Elements removed with everything inside them; any other unknown element keeps its text. */
const STRIPPED = [
  'script',
  'style',
  'iframe',
  'object',
  'embed',
  'template',
  'noscript',
  'svg',
  'math',
  'textarea',
  'select',
  'frame',
  'frameset',
]

/** The HTML elements an article body may hold: what the sanitiser keeps. */
export const SANITISED_ELEMENTS: readonly string[] = [
  ...(defaultSchema.tagNames ?? []).filter((name) => name !== 'input'),
  'figure',
  'figcaption',
  'cite',
  'mark',
  'small',
  'time',
  'caption',
]

/** GitHub's sanitising schema (no scripts, no `on*`, no `javascript:`) plus figures for news. */
const SANITIZE_SCHEMA = {
  ...defaultSchema,
  tagNames: [...SANITISED_ELEMENTS],
  strip: STRIPPED,
  // aria-* attributes are dropped: feed validators flag them as unsafe in item HTML.
  attributes: Object.fromEntries(
    Object.entries({ ...defaultSchema.attributes, time: ['dateTime'] }).map(([tag, names]) => [
      tag,
      names.filter((name) => !(typeof name === 'string' && name.startsWith('aria'))),
    ]),
  ),
}

/** Attributes whose value is a URL (HTML §2.4 "valid URL potentially surrounded by spaces"). */
const URL_ATTRIBUTES = ['href', 'src', 'cite', 'longDesc']

function resolveUrl(value: string, base: string): string {
  const trimmed = value.trim()
  return isUrl(trimmed, base) ? absoluteUrl(trimmed, base) : trimmed
}

// `srcset` is a list of "URL descriptor" candidates (HTML §4.8.4.2).
function resolveSrcSet(value: string, base: string): string {
  return value
    .split(',')
    .map((candidate) => {
      const [url = '', ...descriptors] = candidate.trim().split(/\s+/)
      return [resolveUrl(url, base), ...descriptors].join(' ')
    })
    .join(', ')
}

/** A rehype plugin that makes every link and image URL absolute against `base`. */
function rehypeAbsoluteUrls(options: { base: string }) {
  return (tree: HastRoot) => {
    visit(tree, 'element', (node: Element) => {
      for (const name of URL_ATTRIBUTES) {
        const value = node.properties[name]
        if (typeof value === 'string') node.properties[name] = resolveUrl(value, options.base)
      }
      const srcSet = node.properties.srcSet
      if (Array.isArray(srcSet))
        node.properties.srcSet = resolveSrcSet(srcSet.join(', '), options.base)
      else if (typeof srcSet === 'string')
        node.properties.srcSet = resolveSrcSet(srcSet, options.base)
    })
  }
}

function textOf(node: Element | Text): string {
  if (node.type === 'text') return node.value
  return node.children
    .map((child) => (child.type === 'element' || child.type === 'text' ? textOf(child) : ''))
    .join('')
}

const TEXT_LIMIT = 2000

// The text of the body's paragraphs, in order, as far as TEXT_LIMIT characters.
function paragraphsText(tree: HastRoot): string[] {
  const found: string[] = []
  let length = 0
  visit(tree, 'element', (node: Element) => {
    if (length >= TEXT_LIMIT || node.tagName !== 'p') return
    const text = textOf(node).replace(/\s+/g, ' ').trim()
    if (text) found.push(text)
    length += text.length + 1
  })
  return found
}

export interface RenderedBody {
  /** Sanitised HTML with absolute URLs. */
  html: string
  /** Plain text of the first paragraph, for articles without a summary. */
  lead: string
  /** Plain text of the paragraphs from the start, up to about 2,000 characters. */
  text: string
  /** Every word of the body, else its first image's alt text: a summary when it has no paragraph. */
  fallback: string
}

// The tail both inputs share: parse as an HTML fragment, sanitise, make URLs absolute, note the
// lead, serialise; sanitising happens here only, whatever wrote the HTML.
function finish(html: string, base: string): RenderedBody {
  let paragraphs: string[] = []
  let fallback = ''
  const sanitised = String(
    unified()
      .use(rehypeParse, { fragment: true })
      // The sanitiser and the serialiser recurse, and cost the same for each element: a tree
      // too deep or too large stops here, not in them.
      .use(() => assertTreeBounds)
      .use(rehypeSanitize, SANITIZE_SCHEMA)
      .use(rehypeAbsoluteUrls, { base })
      .use(() => (tree: HastRoot) => {
        paragraphs = paragraphsText(tree)
        if (paragraphs.length === 0) fallback = fallbackTextOf(tree, TEXT_LIMIT)
      })
      .use(rehypeStringify)
      .processSync(html),
  ).trim()
  const text = paragraphs.join(' ').slice(0, TEXT_LIMIT)
  return { html: sanitised, lead: paragraphs[0] ?? '', text, fallback }
}

/**
 * Renders Markdown (raw HTML allowed) to sanitised HTML whose URLs are absolute against `base`;
 * throws BodyLimitError for a body beyond BODY_LIMITS: its nesting before parsing, the elements
 * it makes from the tokens, before any HTML is written.
 */
export function renderMarkdown(markdown: string, base: string): RenderedBody {
  const excess = checkMarkdownBounds(markdown)
  if (excess) throw new BodyLimitError(excess)
  const parsed = parseMarkdown(stripInvalidXmlChars(markdown))
  const elements = checkMarkdownElements(parsed.tokens)
  if (elements) throw new BodyLimitError(elements)
  return finish(renderParsedMarkdown(parsed), base)
}

/**
 * Sanitises an HTML body the same way, parsed as the HTML standard says a fragment is; throws
 * BodyLimitError, before parsing, for a body nested deeper than BODY_LIMITS.htmlDepth or making
 * more elements than BODY_LIMITS.elements.
 */
export function renderHtml(html: string, base: string): RenderedBody {
  const excess = checkHtmlBounds(html)
  if (excess) throw new BodyLimitError(excess)
  return finish(stripInvalidXmlChars(html), base)
}

// HTML's phrasing content, as far as the sanitiser lets it through (HTML §3.2.5.2.5).
const PHRASING = new Set([
  'a',
  'abbr',
  'b',
  'bdi',
  'bdo',
  'br',
  'cite',
  'code',
  'del',
  'dfn',
  'em',
  'i',
  'img',
  'ins',
  'kbd',
  'mark',
  'q',
  'rp',
  'rt',
  'ruby',
  's',
  'samp',
  'small',
  'span',
  'strike',
  'strong',
  'sub',
  'sup',
  'time',
  'tt',
  'u',
  'var',
  'wbr',
])

const holdsOnlyPhrasing = (element: Element): boolean =>
  element.children.every((child) => child.type !== 'element' || PHRASING.has(child.tagName))

/**
 * Keeps only the elements in `allowlist` (others give up their place to their children,
 * scripts and the like having gone already) and their plain attributes: the body an
 * aggregator with an HTML allowlist accepts, through the same sanitiser. A block it does not
 * take that holds only text (a `<div>`, a `<dt>`) becomes a paragraph, so its words stay apart
 * from the next block's. `removed` names the elements that went.
 */
export function restrictHtml(
  html: string,
  allowlist: readonly string[],
): { html: string; removed: string[] } {
  const allowed = new Set(allowlist)
  const removed = new Set<string>()
  const attributes = Object.fromEntries(
    allowlist.map((tag) => [
      tag,
      [
        ...(SANITIZE_SCHEMA.attributes[tag] ?? []),
        ...(tag === 'a' ? ['href'] : []),
        ...(tag === 'img' ? ['src', 'alt', 'width', 'height'] : []),
      ],
    ]),
  )
  const schema = { ...SANITIZE_SCHEMA, tagNames: [...allowlist], attributes, clobberPrefix: '' }
  const restricted = String(
    unified()
      .use(rehypeParse, { fragment: true })
      .use(() => (tree: HastRoot) => {
        visit(tree, 'element', (element: Element) => {
          if (allowed.has(element.tagName)) return
          removed.add(element.tagName)
          if (!PHRASING.has(element.tagName) && allowed.has('p') && holdsOnlyPhrasing(element)) {
            element.tagName = 'p'
            element.properties = {}
          }
        })
      })
      .use(rehypeSanitize, schema)
      .use(rehypeStringify)
      .processSync(html),
  ).trim()
  return { html: restricted, removed: [...removed].sort() }
}
