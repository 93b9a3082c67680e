import type { Element, Root as HastRoot, Text } from 'hast'
import rehypeParse from 'rehype-parse'
import rehypeRaw from 'rehype-raw'
import rehypeSanitize, { defaultSchema } from 'rehype-sanitize'
import rehypeStringify from 'rehype-stringify'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import { unified } from 'unified'
import { visit } from 'unist-util-visit'
import { stripInvalidXmlChars } from '../model/text'
import { absoluteUrl, isUrl } from '../model/url'

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

/** GitHub's sanitising schema (no scripts, no `on*`, no `javascript:`) plus figures for news. */
const SANITIZE_SCHEMA = {
  ...defaultSchema,
  tagNames: [
    ...(defaultSchema.tagNames ?? []).filter((name) => name !== 'input'),
    'figure',
    'figcaption',
    'cite',
    'mark',
    'small',
    'time',
    'caption',
  ],
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

function firstParagraphText(tree: HastRoot): string {
  let found = ''
  visit(tree, 'element', (node: Element) => {
    if (found || node.tagName !== 'p') return
    found = textOf(node).replace(/\s+/g, ' ').trim()
  })
  return found
}

export interface RenderedBody {
  /** Sanitised HTML with absolute URLs. */
  html: string
  /** Plain text of the first paragraph, for articles without a summary. */
  lead: string
}

// The tail both inputs share: sanitise, make URLs absolute, note the lead, serialise.
function finish(processor: ReturnType<typeof unified>, base: string, input: string): RenderedBody {
  let lead = ''
  const html = String(
    processor
      .use(rehypeSanitize, SANITIZE_SCHEMA)
      .use(rehypeAbsoluteUrls, { base })
      .use(() => (tree: HastRoot) => {
        lead = firstParagraphText(tree)
      })
      .use(rehypeStringify)
      .processSync(stripInvalidXmlChars(input)),
  ).trim()
  return { html, lead }
}

/** Renders Markdown (raw HTML allowed) to sanitised HTML whose URLs are absolute against `base`. */
export function renderMarkdown(markdown: string, base: string): RenderedBody {
  const processor = unified()
    .use(remarkParse)
    .use(remarkGfm)
    .use(remarkRehype, { allowDangerousHtml: true })
    .use(rehypeRaw)
  return finish(processor as unknown as ReturnType<typeof unified>, base, markdown)
}

/** Sanitises an HTML body the same way, parsed as the HTML standard says a fragment is. */
export function renderHtml(html: string, base: string): RenderedBody {
  return finish(
    unified().use(rehypeParse, { fragment: true }) as unknown as ReturnType<typeof unified>,
    base,
    html,
  )
}
