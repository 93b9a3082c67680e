/**
 * The newsroom day's archive: a generated newsroom of long articles, its newest ones kept out
 * as the day's, the rest imported into a local D1 with `npm run import`'s own code, once: later
 * runs of the same code reuse the database, and report the import's timings as that earlier
 * run's, with its date.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { mkdir, readFile, rename } from 'node:fs/promises'
import { join } from 'node:path'
import { readD1Migrations } from '@cloudflare/vitest-pool-workers'
import { Miniflare } from 'miniflare'
import { codeDigest, readCatalogFiles } from '../scripts/content-files'
import { importArchive, readSpool } from '../scripts/import-archive'
import { newsroomContent } from '../scripts/project-copy'
import { type ArchiveSetup, renderArchiveBatch, scanArchive } from '../src/content/archive'
import type { SqlDatabase } from '../src/store/d1'
import type { StoredArticle } from '../src/store/types'

export const WORK = join(process.cwd(), '.wrangler', 'bench-newsroom')
/** Midnight of the simulated day. */
export const DAY_START = Date.UTC(2026, 11, 1)
export const MINUTE = 60_000
/** Today's articles: kept out of the archive, published (or scheduled) during the day. */
export const TODAY = 110

/** The archive as the day starts. */
export interface Archive {
  persist: string
  setup: ArchiveSetup
  today: StoredArticle[]
  /** The archive's newest articles, newest first: what editors edit and delete. */
  newest: StoredArticle[]
  spool: string
  imported: {
    seconds: number
    renderSeconds: number
    writeSeconds: number
    articles: number
    /** RFC 3339: when the import that took these times ran. */
    measuredAt: string
    /** True when the import ran in an earlier run and this one reused its database. */
    reused: boolean
  }
}

/** A local D1 (workerd) over the database files in `persist`. */
export async function d1At(persist: string) {
  const mf = new Miniflare({
    modules: true,
    script: 'export default { fetch() { return new Response(null) } }',
    d1Databases: { DB: 'newsroom' },
    d1Persist: persist,
  })
  return { mf, db: (await mf.getD1Database('DB')) as unknown as SqlDatabase }
}

/** The archive of `size` articles: generated once, imported once. */
export async function prepareArchive(size: number): Promise<Archive> {
  const root = await newsroomContent(join(WORK, `content-${size}`), {
    articles: size + TODAY,
    tags: 360,
    newest: DAY_START - 30 * MINUTE + TODAY * 25 * MINUTE,
    spacing: 25 * MINUTE,
  })
  const todayDir = join(WORK, `today-${size}`)
  if (!existsSync(todayDir)) {
    await mkdir(todayDir, { recursive: true })
    for (let i = 0; i < TODAY; i++)
      await rename(join(root, `content/articles/story-${i}.md`), join(todayDir, `story-${i}.md`))
  }
  const persist = join(WORK, `d1-${size}`)
  const record = join(WORK, `import-${size}.json`)
  const stamp = `${size}-${await codeDigest()}-${JSON.stringify(await readD1Migrations('migrations'))}`
  let imported: Archive['imported'] & { stamp: string; spool: string }
  if (existsSync(record) && JSON.parse(readFileSync(record, 'utf8')).stamp === stamp) {
    imported = { ...JSON.parse(readFileSync(record, 'utf8')), reused: true }
    console.log(`reusing the ${size.toLocaleString('en-US')}-article archive imported earlier`)
  } else {
    rmSync(persist, { recursive: true, force: true })
    rmSync(join(process.cwd(), '.wrangler/import'), { recursive: true, force: true })
    const { mf, db } = await d1At(persist)
    for (const migration of await readD1Migrations('migrations'))
      for (const query of migration.queries) await db.prepare(query).run()
    const report = await importArchive({ root, db, now: DAY_START })
    await mf.dispose()
    imported = {
      stamp,
      spool: report.spool,
      articles: report.articles,
      seconds: (report.checkMs + report.renderMs + report.writeMs) / 1000,
      renderSeconds: report.renderMs / 1000,
      writeSeconds: report.writeMs / 1000,
      measuredAt: new Date().toISOString(),
      reused: false,
    }
    writeFileSync(record, JSON.stringify({ ...imported, reused: undefined }))
  }
  const { files, articles: paths } = await readCatalogFiles(root)
  const { setup } = await scanArchive(files, paths, (path) => readFile(join(root, path)), {
    now: DAY_START,
  })
  const todayFiles = await Promise.all(
    Array.from(
      { length: TODAY },
      async (_, i): Promise<[string, Uint8Array]> => [
        `content/articles/story-${i}.md`,
        await readFile(join(todayDir, `story-${i}.md`)),
      ],
    ),
  )
  const newest: StoredArticle[] = []
  for await (const article of readSpool(imported.spool))
    if (Date.parse(article.published) > DAY_START - 300 * 25 * MINUTE) newest.push(article)
  newest.sort((a, b) => (a.published < b.published ? 1 : -1))
  return {
    persist,
    setup,
    today: renderArchiveBatch(todayFiles, setup).stored,
    newest,
    spool: imported.spool,
    imported,
  }
}
