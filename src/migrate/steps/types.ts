/** The shapes a migration plan is made of, shared by its steps. */
import { stringify } from 'yaml'
import type { Where } from '../source'

export const STATE_FILE = 'content/.migrate.json'
export const ARTICLES = 'content/articles/'

export interface PlanOptions {
  now: number
  /** The category of articles from feeds, which do not tell categories from tags. */
  category: { slug: string; name: string }
  /** The author of items that name none. */
  author: { slug: string; name: string }
}

/** An article file already in content/: its id, slug and a hash of its text. */
export interface ExistingArticle {
  id?: string
  slug: string
  sha: string
}

/**
 * What content/ holds now, as far as a migration needs to know: the text of its small files
 * (site, authors, categories, redirects, the migration's own record) and of the curated feeds
 * in feeds/, and of each article only its id, slug and hash, so that a large archive is not
 * held in memory twice.
 */
export interface Existing {
  files: ReadonlyMap<string, string>
  articles: ReadonlyMap<string, ExistingArticle>
}

/** A redirect rule as content/redirects.yaml holds it. */
export interface RedirectRule {
  from: string
  to?: string
  status?: 410
}

export interface Plan {
  /** Files to write, with their new text. */
  writes: Map<string, string>
  /** Files to remove (the untouched sample article of a fresh project). */
  removes: string[]
  /** For each article file written or checked: the source item it comes from. */
  origins: Map<string, Where>
  report: {
    imported: number
    updated: number
    unchanged: number
    /** Edited by hand since migrate wrote them: left as they are. */
    kept: string[]
    skipped: Map<string, number>
    /** Items left out for what is wrong with them alone, each with where it is and why. */
    rejected: string[]
    /** What was changed in an item to carry it over (control characters removed), and where. */
    repaired: string[]
    comments: number
    /** Slugs taken twice or unsafe as file names, and what each became. */
    collisions: string[]
    dates: Map<string, number>
    /** In content/ but in no source: left as they are. */
    absent: string[]
    shortcodes: Map<string, number>
    frames: number
    /** Tracking links, images and feedflare blocks removed from bodies. */
    trackers: number
    /** Audio and video files carried over as attachments. */
    attachments: number
    redirects: number
    /** Items that had no GUID: given a urn:uuid: named after their link. */
    minted: number
    scheduled: number
    /** What a fresh start did: site.yaml filled, the sample article left out. */
    site: string[]
  }
  problems: { where: Where; message: string }[]
}

/** A plan with nothing in it yet. */
export function emptyPlan(): Plan {
  return {
    writes: new Map(),
    removes: [],
    origins: new Map(),
    report: {
      imported: 0,
      updated: 0,
      unchanged: 0,
      kept: [],
      skipped: new Map(),
      rejected: [],
      repaired: [],
      comments: 0,
      collisions: [],
      dates: new Map(),
      absent: [],
      shortcodes: new Map(),
      frames: 0,
      trackers: 0,
      attachments: 0,
      redirects: 0,
      minted: 0,
      scheduled: 0,
      site: [],
    },
    problems: [],
  }
}

/** Adds `n` to the count kept under `key`. */
export function tally(counts: Map<string, number>, key: string, n = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + n)
}

/** YAML as migrate writes it: plain scalars where they can be, no line folding. */
export function yamlText(value: unknown): string {
  return stringify(value, { lineWidth: 0, defaultStringType: 'PLAIN', defaultKeyType: 'PLAIN' })
}
