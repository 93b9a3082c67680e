/**
 * From what the sources hold to the files of content/: articles (front matter and Markdown),
 * authors, categories, redirects, site.yaml on a fresh start, each compared with what is
 * already there. Nothing is written here: the plan says which files change, and why the others
 * do not. Each step is a module of ./steps/.
 */
import { parseFrontMatter } from '../content/parse'
import { detached, type SourceRead } from './source'
import { articleText } from './steps/front-matter'
import { gatherItems } from './steps/items'
import { itemRedirects, siteRedirects, writeRedirects } from './steps/redirects'
import { planFreshStart } from './steps/site'
import { articleSlug } from './steps/slugs'
import { planArticle, readState, sha, writeState } from './steps/state'
import { authorOf, categoriesOf, emptyTerms, tagsOf, writeTerms } from './steps/terms'
import {
  ARTICLES,
  type Existing,
  type ExistingArticle,
  emptyPlan,
  type Plan,
  type PlanOptions,
  type RedirectRule,
  tally,
} from './steps/types'

export { uuidFromLink } from './steps/items'
export type { Existing, ExistingArticle, Plan, PlanOptions } from './steps/types'
export { STATE_FILE } from './steps/types'

/** An article file as a migration knows it. */
export function existingArticle(file: string, text: string): ExistingArticle {
  const parsed = parseFrontMatter(file, text)
  const front = ('value' in parsed ? parsed.value.data : {}) as { id?: unknown; slug?: unknown }
  const slug = typeof front.slug === 'string' ? front.slug : file.slice(ARTICLES.length, -3)
  // Only these small strings are kept, copied off the file's text (see `detached`).
  return detached({
    ...(typeof front.id === 'string' ? { id: front.id } : {}),
    slug,
    sha: sha(text),
  })
}

/** content/ as text by path (tests): the articles reduced to what a migration keeps of them. */
export function existingOf(files: ReadonlyMap<string, string>): Existing {
  const articles = new Map<string, ExistingArticle>()
  const rest = new Map<string, string>()
  for (const [path, text] of files)
    if (path.startsWith(ARTICLES) && path.endsWith('.md'))
      articles.set(path, existingArticle(path, text))
    else rest.set(path, text)
  return { files: rest, articles }
}

// What each source skipped, its comments, its document-level problems and what its bodies met.
function tallyReads(reads: readonly SourceRead[], plan: Plan): void {
  const { report } = plan
  for (const read of reads) {
    for (const [reason, count] of read.skipped) tally(report.skipped, reason, count)
    report.comments += read.comments
    plan.problems.push(...read.problems)
    for (const [name, n] of read.notes.shortcodes) tally(report.shortcodes, name, n)
    report.frames += read.notes.frames
    report.trackers += read.notes.trackers
  }
}

/** Builds the plan for `reads` (in the order given) over the `existing` content. */
export function planMigration(
  reads: readonly SourceRead[],
  existing: Existing,
  options: PlanOptions,
): Plan {
  const plan = emptyPlan()
  tallyReads(reads, plan)
  const removed = planFreshStart(reads, existing, plan)
  const state = readState(existing)
  // Articles already in content/: id → file, and the slugs taken.
  const byId = new Map<string, { file: string; slug: string }>()
  const taken = new Map<string, string>()
  for (const [file, { id, slug }] of existing.articles) {
    if (removed.has(file)) continue
    if (id) byId.set(id, { file, slug })
    taken.set(slug, id ?? file)
  }
  const terms = emptyTerms()
  const redirects: RedirectRule[] = []
  const migrated = new Set<string>()
  // Each article is decided as it is made, so that only the texts to write stay in memory.
  for (const planned of gatherItems(reads, plan)) {
    const { item, id } = planned
    if (item.dateNote) tally(plan.report.dates, item.dateNote)
    if (Date.parse(item.published ?? '') > options.now) plan.report.scheduled += 1
    plan.report.attachments += item.attachments?.length ?? 0
    const known = byId.get(id)
    const slug = articleSlug(planned, known?.slug, taken, plan)
    const file = known?.file ?? `${ARTICLES}${slug}.md`
    const place = {
      id,
      slug,
      file,
      author: authorOf(item, terms, options),
      categories: categoriesOf(item, terms, options),
      tags: tagsOf(item, terms),
    }
    migrated.add(id)
    plan.origins.set(file, item.where)
    planArticle(file, articleText(item, place, options), existing, state, plan)
    redirects.push(...itemRedirects(planned, slug))
  }
  for (const [id, { file }] of byId) if (!migrated.has(id)) plan.report.absent.push(file)
  writeTerms(terms, existing, plan)
  writeRedirects([...redirects, ...siteRedirects(reads, terms)], existing, plan)
  writeState(state, existing, plan)
  return plan
}
