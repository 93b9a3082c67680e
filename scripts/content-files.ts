import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { type ContentFiles, type LoadOptions, loadContent } from '../src/content/load'
import { restrictHtml } from '../src/content/markdown'
import { renderAllFragments } from '../src/profiles/fragments'
import type { BundleData } from '../src/store/bundled'
import { compileBundle } from '../src/store/compile'

/** The project root. */
export const ROOT = join(import.meta.dirname, '..')

async function readTree(folder: string, root = ROOT): Promise<[string, Uint8Array][]> {
  const entries = await readdir(join(root, folder), { withFileTypes: true, recursive: true }).catch(
    () => [],
  )
  const files = entries.filter((entry) => entry.isFile())
  return Promise.all(
    files.map(async (entry): Promise<[string, Uint8Array]> => {
      const path = join(entry.parentPath, entry.name)
      return [relative(root, path).split('\\').join('/'), await readFile(path)]
    }),
  )
}

/** Reads every file under content/ and feeds/ of `root`, keyed by path from that root. */
export async function readContentFiles(root = ROOT): Promise<ContentFiles> {
  return new Map([...(await readTree('content', root)), ...(await readTree('feeds', root))])
}

// Item fragments are in the bundle, but heads, pages and headers are made per request: any code
// change (a renderer, a page, a header, a profile rule) must change the version, and so every
// ETag, not only a change to content. The generated bundle is the content, hashed below.
async function rendererDigest(): Promise<string> {
  const files = (await readTree('src'))
    .filter(([path]) => !path.startsWith('src/store/generated/'))
    .sort(([a], [b]) => (a < b ? -1 : 1))
  const hash = createHash('sha256')
  for (const [path, bytes] of files) hash.update(path).update(bytes)
  return hash.digest('hex')
}

/** Loads, validates and compiles content into the bundled store's data; throws ContentError. */
export async function compileContent(
  files: ContentFiles,
  options: LoadOptions = {},
): Promise<BundleData> {
  const { articles, ...catalog } = loadContent(files, options)
  const bundle = compileBundle(
    catalog,
    articles,
    (a) => renderAllFragments(a, catalog, restrictHtml),
    '',
  )
  const digest = createHash('sha256')
    .update(await rendererDigest())
    .update(JSON.stringify(bundle))
  bundle.version = digest.digest('base64url').slice(0, 16)
  return bundle
}
