/**
 * The import of an archive into D1, in memory bounded by a batch: a first pass checks every
 * article's front matter (every problem at once, nothing written), a second renders them on
 * every core into a spool (.wrangler/import/, kept for a rerun of the same content), and the
 * spool is written batch by batch with bound statements, each batch one transaction of whole
 * articles. An article stored as it is is skipped, so a rerun after a crash finishes the job.
 */
import { createHash, randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { createReadStream, createWriteStream, existsSync } from 'node:fs'
import { mkdir, readFile, rename, stat } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { Worker } from 'node:worker_threads'
import { createGunzip, createGzip } from 'node:zlib'
import cliProgress from 'cli-progress'
import { type ArchiveSetup, scanArchive } from '../src/content/archive'
import { ContentError } from '../src/content/errors'
import type { ContentProblem } from '../src/content/schema'
import type { SqlDatabase } from '../src/store/d1'
import { type ImportCount, importArticles } from '../src/store/d1-import'
import type { StoredArticle } from '../src/store/types'
import { codeDigest, ROOT, readCatalogFiles } from './content-files'

const RENDER_BATCH = 16

/** A progress bar on stderr: counts, rate and ETA (a line every 10 s when not a terminal). */
export function bar(label: string, total: number): cliProgress.SingleBar {
  const progress = new cliProgress.SingleBar(
    {
      format: `${label.padEnd(7)} [{bar}] {value}/{total} articles · {rate}/s · ETA {eta_formatted}`,
      noTTYOutput: true,
      notTTYSchedule: 10_000,
      stream: process.stderr,
      etaBuffer: 200,
    },
    cliProgress.Presets.shades_classic,
  )
  const started = Date.now()
  progress.start(total, 0, { rate: 0 })
  const increment = progress.increment.bind(progress)
  progress.increment = (step?: number | object) => {
    increment(typeof step === 'number' ? step : 1, {
      rate: Math.round(
        (progress.getProgress() * total) / Math.max(0.001, (Date.now() - started) / 1000),
      ),
    })
  }
  return progress
}

/**
 * The spool of a rendering: named by the code, the catalog and every article file's size and
 * time, so that a rerun over the same content reuses it.
 */
export async function spoolName(
  root: string,
  paths: readonly string[],
  setup: ArchiveSetup,
): Promise<string> {
  const hash = createHash('sha256')
    .update(await codeDigest())
    .update(JSON.stringify(setup.catalog))
  for (const path of paths) {
    const { size, mtimeMs } = await stat(join(root, path))
    hash.update(`${path}\n${size}\n${mtimeMs}\n`)
  }
  return join(ROOT, '.wrangler/import', `${hash.digest('base64url').slice(0, 16)}.ndjson.gz`)
}

/** Renders every article on every core into the spool; the problems only rendering finds. */
export async function renderSpool(
  root: string,
  paths: readonly string[],
  setup: ArchiveSetup,
  spool: string,
): Promise<ContentProblem[]> {
  const out = createGzip({ level: 1 })
  const done = out.pipe(createWriteStream(`${spool}.tmp`))
  const progress = bar('render', paths.length)
  const problems: ContentProblem[] = []
  const batches: string[][] = []
  for (let i = 0; i < paths.length; i += RENDER_BATCH)
    batches.push(paths.slice(i, i + RENDER_BATCH))
  const workers = Array.from(
    { length: Math.max(1, availableParallelism()) },
    () =>
      new Worker(new URL('./worker-boot.mjs', import.meta.url), {
        workerData: { entry: new URL('./import-worker.ts', import.meta.url).href, root, setup },
      }),
  )
  try {
    let next = 0
    await Promise.all(
      workers.map(async (worker) => {
        for (;;) {
          const id = next++
          const paths = batches[id]
          if (!paths) return
          const reply = once(worker, 'message')
          worker.postMessage({ id, paths })
          const [{ lines, problems: found }] = (await reply) as [
            { lines: string[]; problems: ContentProblem[] },
          ]
          problems.push(...found)
          for (const line of lines) if (!out.write(`${line}\n`)) await once(out, 'drain')
          progress.increment(paths.length)
        }
      }),
    )
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()))
    progress.stop()
  }
  out.end()
  await once(done, 'finish')
  if (problems.length === 0) await rename(`${spool}.tmp`, spool)
  return problems
}

/** The articles of a spool, one at a time. */
export async function* readSpool(spool: string): AsyncGenerator<StoredArticle> {
  const lines = createInterface({
    input: createReadStream(spool).pipe(createGunzip()),
    crlfDelay: Infinity,
  })
  for await (const line of lines) if (line) yield JSON.parse(line) as StoredArticle
}

/** What an import did, and how long each pass took (ms). */
export interface ImportReport extends ImportCount {
  articles: number
  scheduled: number
  spool: string
  /** Whether the rendering of an earlier run over the same content was reused. */
  reused: boolean
  checkMs: number
  renderMs: number
  writeMs: number
}

/**
 * Imports the archive at `root` (content/ and feeds/) into `db`, which must have the schema of
 * migrations/. Throws a ContentError, having written nothing, when any article has a problem.
 */
export async function importArchive(options: {
  root: string
  db: SqlDatabase
  now: number
  siteUrl?: string
}): Promise<ImportReport> {
  const { root, db, now, siteUrl } = options
  const started = performance.now()
  const { files, articles: paths } = await readCatalogFiles(root)
  const scanning = bar('check', paths.length)
  let scan: Awaited<ReturnType<typeof scanArchive>>
  try {
    scan = await scanArchive(files, paths, (path) => readFile(join(root, path)), {
      now,
      ...(siteUrl ? { siteUrl } : {}),
      onArticle: () => scanning.increment(),
    })
  } finally {
    scanning.stop()
  }
  const checked = performance.now()
  await mkdir(join(ROOT, '.wrangler/import'), { recursive: true })
  const spool = await spoolName(root, paths, scan.setup)
  const reused = existsSync(spool)
  if (!reused) {
    const problems = await renderSpool(root, paths, scan.setup, spool)
    if (problems.length > 0) throw new ContentError(problems)
  }
  const rendered = performance.now()
  const writing = bar('write', paths.length)
  let total: ImportCount
  try {
    total = await importArticles(db, readSpool(spool), {
      now,
      run: randomUUID(),
      progress: ({ written, unchanged }) => writing.increment(written + unchanged),
    })
  } finally {
    writing.stop()
  }
  return {
    ...total,
    articles: paths.length,
    scheduled: scan.scheduled,
    spool,
    reused,
    checkMs: checked - started,
    renderMs: rendered - checked,
    writeMs: performance.now() - rendered,
  }
}
