/**
 * Compiles content/ and feeds/ into the bundled store (src/store/generated/content.json).
 * Every problem is printed as `file: field: message`; on any problem nothing is written and the
 * previously built store stays as it was.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ContentError } from '../src/content/errors'
import { compileContent, ROOT, readContentFiles } from './content-files'

// `--root DIR` reads content/ and feeds/ from DIR, `--out FILE` writes there (for tests).
function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(name)
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback
}

const OUTPUT = option('--out', join(ROOT, 'src/store/generated/content.json'))

async function main(): Promise<void> {
  const siteUrl = process.env.SITE_URL
  const bundle = await compileContent(
    await readContentFiles(option('--root', ROOT)),
    siteUrl ? { siteUrl } : {},
  )
  await mkdir(join(OUTPUT, '..'), { recursive: true })
  // Written beside and renamed into place, so a reader never sees half a store.
  await writeFile(`${OUTPUT}.tmp`, JSON.stringify(bundle))
  await rename(`${OUTPUT}.tmp`, OUTPUT)
  const feeds = Object.keys(bundle.feeds).length
  console.log(
    `content: ${bundle.articles.length} articles, ${feeds} feeds, version ${bundle.version}`,
  )
}

main().catch((error: unknown) => {
  if (error instanceof ContentError) {
    console.error(`${error.message}\nnothing was published; the previous build is unchanged.`)
  } else {
    console.error(error)
  }
  process.exit(1)
})
