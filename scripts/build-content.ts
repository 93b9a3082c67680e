/**
 * Compiles content/ and feeds/ into the bundled store (src/store/generated/content.json).
 * Every problem is printed as `file: field: message`; on any problem nothing is written and the
 * previously built store stays as it was.
 */
import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { ContentError } from '../src/content/errors'
import { type ContentFiles, loadContent } from '../src/content/load'
import { renderFragments } from '../src/render/formats'
import { compileBundle } from '../src/store/compile'

const ROOT = join(import.meta.dirname, '..')
const OUTPUT = join(ROOT, 'src/store/generated/content.json')

async function readTree(folder: string): Promise<[string, Uint8Array][]> {
  const entries = await readdir(join(ROOT, folder), { withFileTypes: true, recursive: true }).catch(() => [])
  const files = entries.filter((entry) => entry.isFile())
  return Promise.all(
    files.map(async (entry): Promise<[string, Uint8Array]> => {
      const path = join(entry.parentPath, entry.name)
      return [relative(ROOT, path).split('\\').join('/'), await readFile(path)]
    }),
  )
}

/** Reads every file under content/ and feeds/. */
export async function readContentFiles(): Promise<ContentFiles> {
  return new Map([...(await readTree('content')), ...(await readTree('feeds'))])
}

// Item fragments are in the bundle, but the feed heads are rendered per request: a change to
// any renderer must change the version (and so every ETag), not only a change to content.
async function rendererDigest(): Promise<string> {
  const files = (await readTree('src/render')).sort(([a], [b]) => (a < b ? -1 : 1))
  const hash = createHash('sha256')
  for (const [path, bytes] of files) hash.update(path).update(bytes)
  return hash.digest('hex')
}

async function main(): Promise<void> {
  const siteUrl = process.env.SITE_URL
  const content = loadContent(await readContentFiles(), siteUrl ? { siteUrl } : {})
  const { articles, ...catalog } = content
  const bundle = compileBundle(catalog, articles, (a) => renderFragments(a, catalog.site.url), '')
  const digest = createHash('sha256').update(await rendererDigest()).update(JSON.stringify(bundle))
  bundle.version = digest.digest('base64url').slice(0, 16)
  await mkdir(join(OUTPUT, '..'), { recursive: true })
  await writeFile(`${OUTPUT}.tmp`, JSON.stringify(bundle))
  await rename(`${OUTPUT}.tmp`, OUTPUT)
  const feeds = Object.keys(bundle.feeds).length
  console.log(`content: ${articles.length} articles, ${feeds} feeds, version ${bundle.version}`)
}

main().catch((error: unknown) => {
  if (error instanceof ContentError) {
    console.error(`${error.message}\nnothing was published; the previous build is unchanged.`)
  } else {
    console.error(error)
  }
  process.exit(1)
})
