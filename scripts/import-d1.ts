/**
 * `npm run import [-- --remote]`: loads content/ into the D1 database of `wrangler.toml`'s
 * `d1` environment (local state by default). Idempotent: articles are upserted by id with the
 * same statements the publish API runs, feed statistics rebuilt, and the content version set
 * from the content, so importing the same content twice leaves the database as it was.
 * Articles published through the API and absent from content/ are kept.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ContentError } from '../src/content/errors'
import { writeArticle } from '../src/store/d1-write'
import { compileContent, ROOT, readContentFiles } from './content-files'
import { SqlRecorder } from './sql-recorder'

const REBUILD = [
  'DELETE FROM feed_stats;',
  'INSERT INTO feed_stats (kind, slug, count, updated) SELECT kind, slug, COUNT(*), MAX(updated) FROM memberships GROUP BY kind, slug;',
  "DELETE FROM tags WHERE slug NOT IN (SELECT slug FROM memberships WHERE kind = 'tag');",
]

async function main(): Promise<void> {
  const remote = process.argv.includes('--remote')
  const siteUrl = process.env.SITE_URL
  const bundle = await compileContent(await readContentFiles(), siteUrl ? { siteUrl } : {})
  const recorder = new SqlRecorder()
  const version = `import-${bundle.version}`
  for (const article of bundle.articles) await writeArticle(recorder, { article, version })
  const file = join(ROOT, '.wrangler', 'import.sql')
  mkdirSync(join(ROOT, '.wrangler'), { recursive: true })
  writeFileSync(
    file,
    `${[...recorder.statements, ...REBUILD, `UPDATE meta SET value = '${version}' WHERE key = 'version';`].join('\n')}\n`,
  )
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
