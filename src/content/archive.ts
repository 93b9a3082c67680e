import type { Catalog } from '../model/feeds'
import { renderAllFragments } from '../profiles/fragments'
import { oversizedRows } from '../store/d1-write'
import type { StoredArticle } from '../store/types'
import { type ArticleContext, assembleArticle, checkArticle } from './article'
import { ContentError } from './errors'
import {
  articleSource,
  type ContentFiles,
  Identities,
  type LoadOptions,
  loadBase,
  loadCurated,
  loadRedirectsFile,
  sortedTags,
} from './load'
import { restrictHtml } from './markdown'
import { Problems } from './problems'
import type { ContentProblem } from './schema'

/**
 * An archive too large to hold rendered is loaded in two passes. The first reads every
 * article's front matter and checks what it can without rendering (ids, slugs, references,
 * tags, dates), so that nearly every problem is known before anything is written; the second
 * renders batches of articles against the catalog the first settled. This is what a batch
 * needs: plain data, so that it can be handed to another thread.
 */
export interface ArchiveSetup {
  catalog: Catalog
  /** The clock of the import (ms). */
  now: number
}

/** Reads one article file of the archive. */
export type ReadFile = (path: string) => Promise<Uint8Array>

/**
 * The first pass: site, authors, categories and feeds from `files` (the archive without its
 * articles), every article file at `paths` read one at a time and checked without rendering.
 * Throws a ContentError with every problem found.
 */
export async function scanArchive(
  files: ContentFiles,
  paths: readonly string[],
  read: ReadFile,
  options: LoadOptions & { onArticle?: () => void },
): Promise<{ setup: ArchiveSetup; scheduled: number }> {
  const { site, context } = loadBase(files, options)
  const identities = new Identities()
  let scheduled = 0
  for (const path of paths) {
    const source = articleSource(path, await read(path), context.problems)
    if (source) {
      checkArticle(source, context)
      identities.note(path, source.front.id, source.slug, context.problems)
      if (Date.parse(source.front.published) > options.now) scheduled++
    }
    options.onArticle?.()
  }
  const curated = loadCurated(files, context, site?.maxItems ?? 1)
  const redirects = loadRedirectsFile(files, context, identities.slugs(), curated)
  if (context.problems.list.length > 0 || !site) throw new ContentError(context.problems.list)
  const catalog = {
    site,
    authors: [...context.authors.values()],
    categories: [...context.categories.values()],
    tags: sortedTags(context),
    curated,
    redirects,
  }
  return { setup: { catalog, now: options.now }, scheduled }
}

/**
 * The second pass, for one batch: each article rendered with its fragments, as the publish
 * API would store it, and the problems only rendering finds (no summary to take, a row past
 * D1's limit).
 */
export function renderArchiveBatch(
  files: readonly [path: string, bytes: Uint8Array][],
  setup: ArchiveSetup,
): { stored: StoredArticle[]; problems: ContentProblem[] } {
  const { catalog, now } = setup
  const problems = new Problems()
  const context: ArticleContext = {
    base: catalog.site.url,
    authors: new Map(catalog.authors.map((a) => [a.slug, a])),
    categories: new Map(catalog.categories.map((c) => [c.slug, c])),
    tags: new Map(catalog.tags.map((t) => [t.slug, t])),
    problems,
    now,
  }
  const stored: StoredArticle[] = []
  for (const [path, bytes] of files) {
    const source = articleSource(path, bytes, problems)
    const article = source && assembleArticle(source, context)
    if (!article) continue
    const record = { ...article, fragments: renderAllFragments(article, catalog, restrictHtml) }
    for (const [what, size] of oversizedRows(record))
      problems.add(
        path,
        '(body)',
        `renders ${what} to ${size} bytes; D1 holds at most 2,000,000 in a row`,
      )
    stored.push(record)
  }
  return { stored, problems: problems.list }
}
