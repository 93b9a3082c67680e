/**
 * Compiles content/ and feeds/ into the bundled store: its index (src/store/generated/index.json),
 * the catalog the D1 Worker shares (catalog.json), and one record per article beside the site's
 * public files (build/assets/, the Worker's static assets). Every problem is printed as
 * `file: field: message`; on any problem nothing is written and the previous build stays.
 */
import { cp, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { scanArchive } from '../src/content/archive'
import { ContentError } from '../src/content/errors'
import { storeWarnings } from '../src/store/budget'
import { readArgs } from './args'
import {
  codeDigest,
  compileContent,
  ROOT,
  readCatalogFiles,
  readContentFiles,
} from './content-files'

// `--root DIR` reads content/ and feeds/ from DIR; `--generated DIR` and `--assets DIR` write
// there (for tests and for building another tree, such as a generated newsroom).
const args = readArgs(['root', 'generated', 'assets'], ['catalog-only'])
const GENERATED = args.value('generated') ?? join(ROOT, 'src/store/generated')
const ASSETS = args.value('assets') ?? join(ROOT, 'build/assets')
const RECORDS = '_store'

async function writeAtomically(file: string, text: string): Promise<void> {
  // Written beside and renamed into place, so a reader never sees half a file.
  await writeFile(`${file}.tmp`, text)
  await rename(`${file}.tmp`, file)
}

// `--catalog-only`: what the D1 Worker needs of a build (site, authors, categories, feeds),
// checked against every article's front matter without rendering one: an archive of any size
// is the import's to render.
async function buildCatalog(root: string, now: number, siteUrl: string | undefined): Promise<void> {
  const { files, articles } = await readCatalogFiles(root)
  const { setup, scheduled } = await scanArchive(
    files,
    articles,
    (path) => readFile(join(root, path)),
    { now, ...(siteUrl ? { siteUrl } : {}) },
  )
  await mkdir(GENERATED, { recursive: true })
  const build = await codeDigest()
  await writeAtomically(
    join(GENERATED, 'catalog.json'),
    JSON.stringify({ build, catalog: setup.catalog }),
  )
  console.log(
    `catalog: ${articles.length} articles checked (${scheduled} scheduled), ${setup.catalog.categories.length} categories, ${setup.catalog.authors.length} authors, ${setup.catalog.curated.length} feeds of feeds/, build ${build}`,
  )
}

async function main(): Promise<void> {
  // The one reading of the build's clock: what is scheduled, and when it appears.
  const now = Date.now()
  const siteUrl = process.env.SITE_URL
  const root = args.value('root') ?? ROOT
  if (args.flag('catalog-only')) return buildCatalog(root, now, siteUrl)
  const { index, records, content } = await compileContent(await readContentFiles(root), {
    now,
    ...(siteUrl ? { siteUrl } : {}),
  })
  // Records first (named by their content, so old ones stay valid), then the index that names
  // them, then the records no index names any more.
  const recordDir = join(ASSETS, RECORDS)
  await mkdir(recordDir, { recursive: true })
  await mkdir(GENERATED, { recursive: true })
  const existing = new Set(await readdir(recordDir))
  for (const [name, bytes] of records)
    if (!existing.has(name)) await writeFile(join(recordDir, name), bytes)
  await cp(join(ROOT, 'public'), ASSETS, { recursive: true })
  await writeAtomically(
    join(GENERATED, 'catalog.json'),
    JSON.stringify({ build: index.build, catalog: index.catalog }),
  )
  const indexJson = JSON.stringify(index)
  await writeAtomically(join(GENERATED, 'index.json'), indexJson)
  for (const name of existing) if (!records.has(name)) await rm(join(recordDir, name))

  const scheduled = content.articles.filter((a) => Date.parse(a.published) > now).reverse()
  console.log(
    `content: ${content.articles.length} articles (${scheduled.length} scheduled), ${Object.keys(index.feeds).length} feeds, build ${index.build}`,
  )
  for (const article of scheduled)
    console.log(`  scheduled: ${article.slug} appears at ${article.published}`)
  const size = {
    articles: content.articles.length,
    indexBytes: Buffer.byteLength(indexJson),
    indexGzipBytes: gzipSync(indexJson).byteLength,
    assetFiles: (await readdir(ASSETS, { recursive: true })).length,
  }
  for (const warning of storeWarnings(size)) console.warn(`warning: ${warning}`)
}

main().catch((error: unknown) => {
  if (error instanceof ContentError) {
    console.error(`${error.message}\nnothing was published; the previous build is unchanged.`)
  } else {
    console.error(error)
  }
  process.exit(1)
})
