/**
 * `npm run import [-- --remote] [--root DIR]`: loads content/ into the D1 database of
 * wrangler.toml's `d1` environment (local state by default; `--remote` the deployed one).
 *
 * An archive of any size, in memory bounded by a batch: a first pass checks every article's
 * front matter (every problem at once, nothing written), a second renders them on every core
 * into a spool (.wrangler/import/, kept for a rerun of the same content), and the spool is
 * written batch by batch with bound statements, each batch one transaction of whole articles.
 * Idempotent: an article stored as it is is skipped, so a rerun after a crash finishes the job.
 * Articles published through the API and absent from content/ are kept.
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
import { ContentError, formatProblem } from '../src/content/errors'
import type { ContentProblem } from '../src/content/schema'
import { importArticles } from '../src/store/d1-import'
import type { StoredArticle } from '../src/store/types'
import { codeDigest, ROOT, readCatalogFiles } from './content-files'
import { applyMigrations, connectD1 } from './d1-connection'

const RENDER_BATCH = 16

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name)
  return index >= 0 ? process.argv[index + 1] : undefined
}

function bar(label: string, total: number): cliProgress.SingleBar {
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
      rate: Math.round(progress.getProgress() * total / Math.max(0.001, (Date.now() - started) / 1000)),
    })
  }
  return progress
}

// The spool of a rendering: named by the code, the catalog and every article file's size and
// time, so that a rerun over the same content reuses it.
async function spoolName(root: string, paths: readonly string[], setup: ArchiveSetup): Promise<string> {
  const hash = createHash('sha256').update(await codeDigest()).update(JSON.stringify(setup.catalog))
  for (const path of paths) {
    const { size, mtimeMs } = await stat(join(root, path))
    hash.update(`${path}\n${size}\n${mtimeMs}\n`)
  }
  return join(ROOT, '.wrangler/import', `${hash.digest('base64url').slice(0, 16)}.ndjson.gz`)
}

// Renders every article on every core into the spool; the problems only rendering finds.
async function renderSpool(
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
  for (let i = 0; i < paths.length; i += RENDER_BATCH) batches.push(paths.slice(i, i + RENDER_BATCH))
  const workers = Array.from({ length: Math.max(1, availableParallelism()) }, () =>
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
          const [{ lines, problems: found }] = (await reply) as [{ lines: string[]; problems: ContentProblem[] }]
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

async function* readSpool(spool: string): AsyncGenerator<StoredArticle> {
  const lines = createInterface({ input: createReadStream(spool).pipe(createGunzip()), crlfDelay: Infinity })
  for await (const line of lines) if (line) yield JSON.parse(line) as StoredArticle
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

async function main(): Promise<void> {
  // The import's one reading of the clock: what is scheduled, which feeds a write changes.
  const now = Date.now()
  const remote = process.argv.includes('--remote')
  const root = option('--root') ?? ROOT
  const siteUrl = process.env.SITE_URL
  const started = performance.now()
  const { files, articles: paths } = await readCatalogFiles(root)

  const scanning = bar('check', paths.length)
  let setup: ArchiveSetup
  let scheduled: number
  try {
    ;({ setup, scheduled } = await scanArchive(files, paths, (path) => readFile(join(root, path)), {
      now,
      ...(siteUrl ? { siteUrl } : {}),
      onArticle: () => scanning.increment(),
    }))
  } finally {
    scanning.stop()
  }
  const checked = performance.now()

  await mkdir(join(ROOT, '.wrangler/import'), { recursive: true })
  const spool = await spoolName(root, paths, setup)
  const reused = existsSync(spool)
  if (!reused) {
    const problems = await renderSpool(root, paths, setup, spool)
    if (problems.length > 0) throw new ContentError(problems)
  }
  const rendered = performance.now()

  applyMigrations(remote)
  const { db, dispose } = await connectD1(remote)
  const loading = bar('write', paths.length)
  let total
  try {
    total = await importArticles(db, readSpool(spool), {
      now,
      run: randomUUID(),
      progress: ({ written, unchanged }) => loading.increment(written + unchanged),
    })
  } finally {
    loading.stop()
    await dispose()
  }
  const written = performance.now()
  console.log(
    [
      `import: ${paths.length.toLocaleString('en-US')} articles into D1 (${remote ? 'remote' : 'local'})`,
      `  written ${total.written.toLocaleString('en-US')} (new or changed), unchanged ${total.unchanged.toLocaleString('en-US')}${scheduled ? `, scheduled ${scheduled}` : ''}`,
      `  checked in ${seconds(checked - started)}, rendered in ${reused ? '0 s (spool reused)' : seconds(rendered - checked)}, written in ${seconds(written - rendered)}; ${Math.round((paths.length * 1000) / (written - started))} articles/s in all`,
    ].join('\n'),
  )
}

main().catch((error: unknown) => {
  if (error instanceof ContentError) {
    console.error(`content has ${error.problems.length} problems:\n${error.problems.map(formatProblem).join('\n')}\nnothing was imported.`)
  } else {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error)
  }
  process.exit(1)
})
