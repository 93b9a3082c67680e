import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import {
  articleFiles,
  type Content,
  type ContentFiles,
  type LoadOptions,
  loadContent,
} from '../src/content/load'
import { restrictHtml } from '../src/content/markdown'
import type { FeedDefinition } from '../src/model/types'
import {
  profileFragmentKey,
  profileViolationsKey,
  renderAllFragments,
} from '../src/profiles/fragments'
import { BundledStore } from '../src/store/bundled'
import { type CompiledBundle, compileBundle } from '../src/store/compile'
import type { Fragments, StoredArticle } from '../src/store/types'

/** The project root. */
export const ROOT = join(import.meta.dirname, '..')

/** The paths (from `root`) of every file under `folder`. */
export async function listTree(folder: string, root = ROOT): Promise<string[]> {
  const entries = await readdir(join(root, folder), { withFileTypes: true, recursive: true }).catch(
    () => [],
  )
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split('\\').join('/'))
}

async function readTree(
  folder: string,
  root = ROOT,
  keep: (path: string) => boolean = () => true,
): Promise<[string, Uint8Array][]> {
  const paths = (await listTree(folder, root)).filter(keep)
  return Promise.all(
    paths.map(
      async (path): Promise<[string, Uint8Array]> => [path, await readFile(join(root, path))],
    ),
  )
}

/** Reads content/ and feeds/ of `root` but for the articles, which are only listed. */
export async function readCatalogFiles(
  root = ROOT,
): Promise<{ files: ContentFiles; articles: string[] }> {
  const isArticle = (path: string) => path.startsWith('content/articles/')
  const files = new Map([
    ...(await readTree('content', root, (path) => !isArticle(path))),
    ...(await readTree('feeds', root)),
  ])
  return { files, articles: articleFiles(await listTree('content/articles', root)) }
}

/** Reads every file under content/ and feeds/ of `root`, keyed by path from that root. */
export async function readContentFiles(root = ROOT): Promise<ContentFiles> {
  return new Map([...(await readTree('content', root)), ...(await readTree('feeds', root))])
}

/**
 * Names the code of this build. Item fragments are in the store, but heads, pages and headers
 * are made per request: any code change (a renderer, a page, a header, a profile rule) must
 * change every ETag, not only a change to content. Generated files are content, not code.
 */
export async function codeDigest(): Promise<string> {
  const files = (await readTree('src'))
    .filter(([path]) => !path.startsWith('src/store/generated/'))
    .sort(([a], [b]) => (a < b ? -1 : 1))
  const hash = createHash('sha256')
  for (const [path, bytes] of files) hash.update(path).update(bytes)
  return hash.digest('base64url').slice(0, 12)
}

/** A record's name: the hash of its bytes, so a record never changes under its name. */
export function nameRecord(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64url').slice(0, 22)
}

/** The fragment keys of a profile feed's items and checks. */
export function profileKeys(feed: FeedDefinition) {
  const rules = feed.profile
  return {
    item: (format: string) => (rules ? profileFragmentKey(rules, format) : format),
    violations: rules ? profileViolationsKey(rules) : '',
  }
}

/**
 * Loads, validates and compiles content into the bundled store (and the articles with their
 * fragments, as the D1 import and the profile report read them); throws ContentError.
 */
export async function compileContent(
  files: ContentFiles,
  options: LoadOptions,
): Promise<CompiledBundle & { content: Content; stored: StoredArticle[] }> {
  const content = loadContent(files, options)
  const { articles, ...catalog } = content
  const fragments = articles.map((a) => renderAllFragments(a, catalog, restrictHtml))
  const compiled = compileBundle(catalog, articles, fragments, profileKeys, {
    nameRecord,
    build: await codeDigest(),
    now: options.now,
  })
  const stored = articles.map((a, i) => ({ ...a, fragments: fragments[i] as Fragments }))
  return { ...compiled, content, stored }
}

/** The bundled store over a compilation held in memory (tests, `npm run check:feeds`). */
export function storeInMemory({ index, records }: CompiledBundle): BundledStore {
  return new BundledStore(index, async (name) => {
    const bytes = records.get(name)
    if (!bytes) throw new Error(`no record ${name}`)
    return bytes
  })
}
