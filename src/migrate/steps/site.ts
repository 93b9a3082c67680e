/**
 * A fresh start: migrating into the project as shipped fills content/site.yaml from the source
 * and leaves the sample article out. A site already set up is never touched.
 */
import { parseDocument } from 'yaml'
import type { SourceRead } from '../source'
import { sha } from './state'
import type { Existing, Plan } from './types'

const SITE_FILE = 'content/site.yaml'

/** SHA-256 of content/site.yaml as the project ships it (a test keeps this list current). */
export const SHIPPED_SITE = new Set([
  '046424eea64a99dade0470ba4c62b6ebad3123df37a17b282c43f56e350b22e6',
])

/** The shipped sample article: its id, and SHA-256 of its file as shipped. */
export const SAMPLE_ARTICLE = {
  id: 'urn:uuid:86fbbfd7-e596-4aeb-98e4-32c06584ba43',
  sha: new Set(['833e46b9ff60622565c5b946bab3bc10c26039d352c3502d4451a51f5f763923']),
}

/**
 * Curated feeds that select only the sample article (SHA-256 as shipped): once it is gone they
 * name tags no article has, which the build refuses.
 */
export const SAMPLE_FEEDS: ReadonlyMap<string, string> = new Map([
  [
    'feeds/security-threats.yaml',
    '12d45c240d7f1991189a84821d790345594418a838c9c874e46a0e4a7cd112bc',
  ],
])

// BCP 47 as site.yaml accepts it (src/content/schema.ts); `en_US` and `EN-us` are made so.
function languageOf(value: string | undefined): string | undefined {
  const tag = value?.trim().replace(/_/g, '-')
  if (!tag) return undefined
  const [primary = '', ...rest] = tag.split('-')
  const normal = [primary.toLowerCase(), ...rest].join('-')
  return /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(normal) ? normal : undefined
}

function originOf(link: string | undefined): string | undefined {
  try {
    const url = new URL(link ?? '')
    return /^https?:$/.test(url.protocol) ? url.origin : undefined
  } catch {
    return undefined
  }
}

/** What the sources say of the site: the first source to say each wins. */
function describe(reads: readonly SourceRead[]) {
  const first = <T>(pick: (read: SourceRead) => T | undefined) =>
    reads.map(pick).find((value) => value !== undefined && value !== '')
  const title = first((r) => r.title)
  return {
    title,
    description: first((r) => r.description),
    url: first((r) => originOf(r.wordpress?.base) ?? originOf(r.link)),
    language: first((r) => languageOf(r.language)),
    copyright: first((r) => r.copyright) ?? (title ? `© ${title}` : undefined),
  }
}

/**
 * When content/site.yaml is the shipped one: fills its title, description, url (the old site's
 * origin: the migrated site answers where it did), language and copyright, keeping its comments
 * and the rest; and removes the sample article when it too is as shipped, with the curated feed
 * made for it. Returns the articles removed, for the steps after this one.
 */
export function planFreshStart(
  reads: readonly SourceRead[],
  existing: Existing,
  plan: Plan,
): Set<string> {
  const removed = new Set<string>()
  const current = existing.files.get(SITE_FILE)
  if (current === undefined || !SHIPPED_SITE.has(sha(current))) return removed
  const document = parseDocument(current)
  const filled: string[] = []
  const missing: string[] = []
  for (const [key, value] of Object.entries(describe(reads)))
    if (value) {
      document.set(key, value)
      filled.push(key)
    } else missing.push(key)
  if (filled.length > 0) {
    plan.writes.set(SITE_FILE, document.toString({ lineWidth: 0 }))
    plan.report.site.push(`${SITE_FILE}: ${filled.join(', ')} filled from the source`)
  }
  if (missing.length > 0)
    plan.report.site.push(
      `${SITE_FILE}: ${missing.join(', ')} still the sample's: the source has none`,
    )
  for (const [file, article] of existing.articles)
    if (article.id === SAMPLE_ARTICLE.id && SAMPLE_ARTICLE.sha.has(article.sha)) {
      plan.removes.push(file)
      removed.add(file)
      plan.report.site.push(`${file}: the shipped sample article, removed`)
    }
  if (removed.size === 0) return removed
  for (const [file, hash] of SAMPLE_FEEDS) {
    const text = existing.files.get(file)
    if (text === undefined || sha(text) !== hash) continue
    plan.removes.push(file)
    plan.report.site.push(`${file}: the shipped sample's curated feed, removed`)
  }
  return removed
}
