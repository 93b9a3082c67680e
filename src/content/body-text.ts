import type { Element, ElementContent, Root } from 'hast'

// Elements whose text stands apart from its neighbours' (a table cell, a list item, a code
// block): a space goes between them, so `<td>a</td><td>b</td>` reads "a b", not "ab".
const BLOCKS = new Set([
  'p',
  'div',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'li',
  'dt',
  'dd',
  'td',
  'th',
  'tr',
  'pre',
  'blockquote',
  'figure',
  'figcaption',
  'caption',
  'br',
  'hr',
  'table',
  'ul',
  'ol',
  'dl',
])

function collect(nodes: readonly (ElementContent | Element)[], out: string[], limit: number): void {
  for (const node of nodes) {
    if (out.length > limit) return
    if (node.type === 'text') out.push(node.value)
    else if (node.type === 'element') {
      const block = BLOCKS.has(node.tagName)
      if (block) out.push(' ')
      collect(node.children, out, limit)
      if (block) out.push(' ')
    }
  }
}

/**
 * What a body says in words, for an article with no paragraph to take a summary from: the
 * text of every element (tables, code, lists, captions), and else the first image's alt text.
 */
export function fallbackTextOf(tree: Root, limit: number): string {
  const parts: string[] = []
  collect(tree.children as ElementContent[], parts, limit)
  const text = parts.join('').replace(/\s+/g, ' ').trim()
  if (text) return Array.from(text).slice(0, limit).join('')
  let alt = ''
  const find = (nodes: readonly ElementContent[]): void => {
    for (const node of nodes) {
      if (alt || node.type !== 'element') continue
      const value = node.tagName === 'img' ? node.properties.alt : undefined
      if (typeof value === 'string' && value.trim()) alt = value.replace(/\s+/g, ' ').trim()
      else find(node.children)
    }
  }
  find(tree.children as ElementContent[])
  return alt
}
