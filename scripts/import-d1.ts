/**
 * `npm run import [-- --remote] [--root DIR]`: loads content/ (or DIR's) into the D1 database
 * of wrangler.toml's `d1` environment: local state by default, the deployed one with
 * `--remote`. See import-archive.ts for how; articles published through the API and absent
 * from content/ are kept.
 */
import { ContentError, formatProblem } from '../src/content/errors'
import { readArgs } from './args'
import { ROOT } from './content-files'
import { applyMigrations, connectD1 } from './d1-connection'
import { importArchive } from './import-archive'

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const count = (n: number) => n.toLocaleString('en-US')

async function main(): Promise<void> {
  // The import's one reading of the clock: what is scheduled, which feeds a write changes.
  const now = Date.now()
  const args = readArgs(['root'], ['remote'])
  const remote = args.flag('remote')
  const root = args.value('root') ?? ROOT
  const siteUrl = process.env.SITE_URL
  applyMigrations(remote)
  const { db, dispose } = await connectD1(remote)
  try {
    const report = await importArchive({ root, db, now, ...(siteUrl ? { siteUrl } : {}) })
    const all = report.checkMs + report.renderMs + report.writeMs
    console.log(
      [
        `import: ${count(report.articles)} articles into D1 (${remote ? 'remote' : 'local'})`,
        `  written ${count(report.written)} (new or changed), unchanged ${count(report.unchanged)}, scheduled ${count(report.scheduled)}`,
        `  checked in ${seconds(report.checkMs)}, rendered in ${report.reused ? '0 s (an earlier rendering of the same content)' : seconds(report.renderMs)}, written in ${seconds(report.writeMs)}; ${Math.round((report.articles * 1000) / all)} articles/s in all`,
      ].join('\n'),
    )
  } finally {
    await dispose()
  }
}

main().catch((error: unknown) => {
  if (error instanceof ContentError) {
    console.error(
      `content has ${error.problems.length} problems:\n${error.problems.map(formatProblem).join('\n')}\nnothing was imported.`,
    )
  } else {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error)
  }
  process.exit(1)
})
