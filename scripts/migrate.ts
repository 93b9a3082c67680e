/**
 * `npm run migrate -- SOURCE... [--root DIR] [--utc-offset +HH:MM] [--category slug:Name]
 * [--author slug:Name] [--max-pages N] [--max-page-mib N] [--max-total-mib N] [--timeout S]
 * [--follow-hosts host,…] [--dry-run]`: brings a site into content/ from a WordPress export (WXR
 * 1.0–1.2) or from its feeds (RSS 2.0, Atom 1.0, JSON Feed 1.0/1.1; paged and archived feeds
 * followed to the end, within limits), each SOURCE a file or an http(s) URL, in any encoding.
 * Every item keeps its GUID as its id; old addresses go into content/redirects.yaml. A bad item
 * is left out and reported; a malformed source writes nothing: each problem is printed with
 * where it is in its source, one line each, and never a stack trace.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import cliProgress from 'cli-progress'
import { scanArchive } from '../src/content/archive'
import { ContentError, formatProblem } from '../src/content/errors'
import { planChecked, type Refusal } from '../src/migrate/checked'
import { DEFAULT_LIMITS, type Limits } from '../src/migrate/fetch'
import {
  type Existing,
  type ExistingArticle,
  existingArticle,
  type Plan,
  planMigration,
} from '../src/migrate/plan'
import { type Reading, readSource } from '../src/migrate/read'
import type { SourceRead } from '../src/migrate/source'
import { type Args, readArgs, UsageError } from './args'
import { listTree, ROOT } from './content-files'

// Read on first use, inside main, so that a mistake in it ends as one line (status 2).
let read: Args | undefined
const cli = (): Args =>
  (read ??= readArgs(
    [
      'root',
      'utc-offset',
      'category',
      'author',
      'now',
      'max-pages',
      'max-page-mib',
      'max-total-mib',
      'timeout',
      'follow-hosts',
    ],
    ['dry-run'],
  ))
const option = (name: string, fallback: string) => cli().value(name) ?? fallback

// Set once files are being written: from then on a failure cannot say that nothing was.
let writing = false

const MIB = 1024 * 1024
function sources(): string[] {
  return cli().positionals
}

function named(value: string): { slug: string; name: string } {
  const [slug = '', ...name] = value.split(':')
  return {
    slug,
    name: name.join(':') || slug.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase()),
  }
}

/** A progress bar over bytes read, on stderr. */
function progressBar(label: string, total: number): cliProgress.SingleBar {
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% · {value}/{total} MB`,
      noTTYOutput: true,
      notTTYSchedule: 10_000,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  )
  bar.start(Math.max(1, Math.round(total / 1e6)), 0)
  return bar
}

// A bar for an export over 5 MB, stopped when its source is read.
function progress(): Pick<Reading, 'progress' | 'done'> {
  let bar: cliProgress.SingleBar | undefined
  return {
    progress: (total) => {
      if (total <= 5e6) return undefined
      const shown = progressBar('reading', total)
      bar = shown
      let bytes = 0
      return (n) => {
        bytes += n
        shown.update(Math.round(bytes / 1e6))
      }
    },
    done: () => {
      bar?.stop()
      bar = undefined
    },
  }
}

/** A whole number option of at least 1, or its default. */
function readCount(name: string, fallback: number): number {
  const value = cli().value(name)
  if (value === undefined) return fallback
  if (!/^[1-9]\d*$/.test(value))
    throw new UsageError(`--${name} must be a whole number of at least 1, got "${value}"`)
  return Number(value)
}

/** The limits of remote reading, from the flags (README "Moving in"). */
function readLimits(): Limits {
  const hosts = option('follow-hosts', '')
  return {
    pages: readCount('max-pages', DEFAULT_LIMITS.pages),
    pageBytes: readCount('max-page-mib', DEFAULT_LIMITS.pageBytes / MIB) * MIB,
    totalBytes: readCount('max-total-mib', DEFAULT_LIMITS.totalBytes / MIB) * MIB,
    timeout: readCount('timeout', DEFAULT_LIMITS.timeout / 1000) * 1000,
    hosts:
      hosts === '*'
        ? 'any'
        : new Set(
            hosts
              .split(',')
              .map((host) => host.trim().toLowerCase())
              .filter(Boolean),
          ),
  }
}

/** content/ and feeds/ of `root`: small files as text, each article as its id, slug and hash. */
async function existingContent(root: string): Promise<Existing> {
  const files = new Map<string, string>()
  const articles = new Map<string, ExistingArticle>()
  for (const path of [...(await listTree('content', root)), ...(await listTree('feeds', root))]) {
    const text = await readFile(join(root, path), 'utf8')
    if (path.startsWith('content/articles/') && path.endsWith('.md'))
      articles.set(path, existingArticle(path, text))
    else files.set(path, text)
  }
  return { files, articles }
}

// The migrated content as the build will read it: problems in an article name its source.
// Articles are read one at a time, the planned text or else the file: never all at once.
async function check(
  root: string,
  existing: Existing,
  plan: Plan,
  now: number,
): Promise<Refusal[]> {
  const encoder = new TextEncoder()
  const files = new Map<string, Uint8Array>()
  for (const [path, text] of [...existing.files, ...plan.writes])
    if (!path.startsWith('content/articles/') && !path.startsWith('feeds/'))
      files.set(path, encoder.encode(text))
  for (const path of await listTree('feeds', root))
    if (!plan.removes.includes(path)) files.set(path, await readFile(join(root, path)))
  const planned = [...plan.writes.keys()].filter((path) => path.startsWith('content/articles/'))
  const articles = [...new Set([...existing.articles.keys(), ...planned])]
    .filter((path) => path.endsWith('.md') && !plan.removes.includes(path))
    .sort()
  const read = async (path: string) => {
    const text = plan.writes.get(path)
    return text === undefined ? readFile(join(root, path)) : encoder.encode(text)
  }
  try {
    await scanArchive(files, articles, read, { now })
    return []
  } catch (error) {
    if (!(error instanceof ContentError)) throw error
    return error.problems.map((problem) => {
      // Only an article this run writes is one item's fault; anything else is the site's.
      const item = plan.writes.has(problem.file) ? plan.origins.get(problem.file) : undefined
      return item
        ? { line: `${item}: ${problem.field}: ${problem.message} (in ${problem.file})`, item }
        : { line: formatProblem(problem) }
    })
  }
}

const count = (n: number) => n.toLocaleString('en-US')

async function main(): Promise<void> {
  const list = sources()
  if (list.length === 0) {
    console.error(
      'usage: npm run migrate -- SOURCE... (a WordPress export, or a feed: file or URL)',
    )
    process.exit(2)
  }
  // The migration's one reading of the clock (`--now` fixes it): what is scheduled, which edits
  // are real.
  const now = cli().value('now') !== undefined ? Date.parse(option('now', '')) : Date.now()
  if (Number.isNaN(now)) throw new UsageError('--now must be an ISO date-time')
  const root = option('root', ROOT)
  const offset = option('utc-offset', '+00:00')
  if (!/^[+-]\d{2}:\d{2}$/.test(offset))
    throw new UsageError(`--utc-offset must look like +02:00, got ${offset}`)
  const reading: Reading = { limits: readLimits(), budget: { bytes: 0 }, ...progress() }
  const started = Date.now()
  const reads: SourceRead[] = []
  for (const source of list) reads.push(await readSource(source, offset, reading))
  // Warnings first, on stderr: what was read only in part is said whatever happens next.
  for (const { where, message } of reads.flatMap((read) => read.warnings))
    console.error(`${where}: warning: ${message}`)
  const existing = await existingContent(root)
  const options = {
    now,
    category: named(option('category', 'news')),
    author: named(option('author', 'staff')),
  }
  const { plan, problems } = await planChecked(
    reads,
    (kept) => planMigration(kept, existing, options),
    (planned) => check(root, existing, planned, now),
  )
  if (problems.length > 0) {
    console.error(
      `${problems.join('\n')}\nmigrate: ${problems.length} problems; nothing was written.`,
    )
    process.exit(1)
  }
  const dry = cli().flag('dry-run')
  writing = !dry
  if (!dry)
    for (const [path, text] of plan.writes) {
      await mkdir(dirname(join(root, path)), { recursive: true })
      await writeFile(join(root, path), text)
    }
  if (!dry) for (const path of plan.removes) await rm(join(root, path))
  const r = plan.report
  const lines = [
    `migrate: ${list.join(', ')}${dry ? ' (dry run: nothing written)' : ''}`,
    `  articles: ${count(r.imported)} imported, ${count(r.updated)} updated, ${count(r.unchanged)} unchanged${r.scheduled ? `, ${count(r.scheduled)} scheduled` : ''}`,
    ...(r.kept.length
      ? [`  left as they are (edited since they were migrated): ${r.kept.join(', ')}`]
      : []),
    ...[...r.skipped]
      .sort(([, a], [, b]) => b - a)
      .map(([reason, n]) => `  skipped ${count(n)}: ${reason}`),
    ...r.rejected.map((line) => `  item ${line}`),
    ...r.repaired.map((line) => `  item ${line}`),
    ...r.site.map((line) => `  fresh start: ${line}`),
    ...(r.attachments ? [`  attachments: ${count(r.attachments)} audio and video files`] : []),
    ...(r.trackers
      ? [`  tracking links and images: ${count(r.trackers)} removed from bodies`]
      : []),
    ...(r.comments ? [`  comments: ${count(r.comments)} (never imported)`] : []),
    ...(r.minted
      ? [`  ${count(r.minted)} items had no GUID: each was given a urn:uuid: named after its link`]
      : []),
    ...[...r.dates].map(([note, n]) => `  dates: ${count(n)} with ${note}`),
    ...r.collisions.map((line) => `  slug: ${line}`),
    ...[...r.shortcodes].map(
      ([name, n]) => `  shortcode [${name}]: ${count(n)} converted or removed`,
    ),
    ...(r.frames ? [`  embedded frames: ${count(r.frames)} became links`] : []),
    ...(r.absent.length
      ? [`  in content/ but in no source (left as they are): ${count(r.absent.length)}`]
      : []),
    `  redirects: ${count(r.redirects)} added to content/redirects.yaml`,
    `  files written: ${count(dry ? 0 : plan.writes.size)} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    '  next: `npm run build` serves them; `npm run import` carries them into D1.',
  ]
  console.log(lines.join('\n'))
}

// One line whatever went wrong: a mistake in the command (status 2), or anything unforeseen
// (status 1), never a stack trace.
main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error)
  const written = writing ? 'some files may have been written' : 'nothing was written'
  console.error(`migrate: ${message.split('\n')[0]}; ${written}.`)
  process.exit(error instanceof UsageError ? 2 : 1)
})
