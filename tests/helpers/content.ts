import { formatProblem } from '../../src/content/errors'
import { type ContentFiles, loadContent } from '../../src/content/load'

const encoder = new TextEncoder()

/** The clock of content tests: after every fixture's date, before any is a year old. */
export const TEST_NOW = Date.parse('2026-12-01T00:00:00Z')

export const SITE_YAML = `title: The Daily Test
description: Tests, daily.
url: https://news.test
language: en-US
copyright: © 2026 The Daily Test
`

export const CATEGORIES_YAML = `- slug: science
  name: Science
  description: Science news.
- slug: culture
  name: Culture
  description: Culture news.
`

export const AUTHOR_YAML = `name: Ada Lovelace
bio: Writes about engines.
`

/** Front matter and body of a valid article, fields replaced or added by `fields`. */
export function articleFile(
  fields: Record<string, string> = {},
  body = 'The body, with a [link](../other/).',
): string {
  const front: Record<string, string> = {
    id: 'urn:uuid:11111111-2222-4333-8444-555555555555',
    title: 'Engines of change',
    summary: 'Why engines matter.',
    author: 'ada-lovelace',
    published: '2026-01-02T03:04:05Z',
    categories: '[science]',
    tags: '[Engines, Analytical Engine]',
    ...fields,
  }
  const yaml = Object.entries(front)
    .filter(([, value]) => value !== '')
    .map(([key, value]) => `${key}: ${value}`)
    .join('\n')
  return `---\n${yaml}\n---\n\n${body}\n`
}

/** A small valid content tree; `files` replaces or adds files (a null value removes one). */
export function contentFiles(files: Record<string, string | Uint8Array | null> = {}): ContentFiles {
  const all: Record<string, string | Uint8Array | null> = {
    'content/site.yaml': SITE_YAML,
    'content/categories.yaml': CATEGORIES_YAML,
    'content/authors/ada-lovelace.yaml': AUTHOR_YAML,
    'content/articles/engines.md': articleFile(),
    ...files,
  }
  const map = new Map<string, Uint8Array>()
  for (const [path, value] of Object.entries(all)) {
    if (value !== null) map.set(path, typeof value === 'string' ? encoder.encode(value) : value)
  }
  return map
}

/** Every problem loading `files` reports, as `file: field: message` lines; throws if none. */
export function problemsOf(files: ContentFiles, now = TEST_NOW): string[] {
  try {
    loadContent(files, { now })
  } catch (error) {
    return (error as { problems: Parameters<typeof formatProblem>[0][] }).problems.map(
      formatProblem,
    )
  }
  throw new Error('content loaded without a problem')
}
