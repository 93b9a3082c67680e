/**
 * `npm run import [-- --remote]`: loads content/ into the D1 database of `wrangler.toml`'s
 * `d1` environment (local state by default), idempotently (see import-sql.ts).
 * Articles published through the API and absent from content/ are kept.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ContentError } from '../src/content/errors'
import { compileContent, ROOT, readContentFiles } from './content-files'
import { importStatements } from './import-sql'

async function main(): Promise<void> {
  const remote = process.argv.includes('--remote')
  const siteUrl = process.env.SITE_URL
  const bundle = await compileContent(await readContentFiles(), siteUrl ? { siteUrl } : {})
  const file = join(ROOT, '.wrangler', 'import.sql')
  mkdirSync(join(ROOT, '.wrangler'), { recursive: true })
  const { statements, version } = await importStatements(bundle)
  writeFileSync(file, `${statements.join('\n')}\n`)
  const wrangler = ['scripts/wrangler.sh', 'd1']
  const where = [remote ? '--remote' : '--local', '--env', 'd1']
  execFileSync('sh', [...wrangler, 'migrations', 'apply', 'newswire', ...where], {
    stdio: 'inherit',
    cwd: ROOT,
    env: { ...process.env, CI: '1' },
  })
  execFileSync('sh', [...wrangler, 'execute', 'newswire', ...where, `--file=${file}`], {
    stdio: 'inherit',
    cwd: ROOT,
  })
  console.log(
    `import: ${bundle.articles.length} articles into D1 (${remote ? 'remote' : 'local'}), version ${version}`,
  )
}

main().catch((error: unknown) => {
  console.error(error instanceof ContentError ? `${error.message}\nnothing was imported.` : error)
  process.exit(1)
})
