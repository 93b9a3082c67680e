/**
 * One rendering thread of `npm run import`: reads the article files it is given and renders
 * them against the archive's catalog (src/content/archive.ts), answering with each article as
 * a line of JSON, and the problems found.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parentPort, workerData } from 'node:worker_threads'
import { type ArchiveSetup, renderArchiveBatch } from '../src/content/archive'

const { root, setup } = workerData as { root: string; setup: ArchiveSetup }

parentPort?.on('message', async ({ id, paths }: { id: number; paths: string[] }) => {
  const files = await Promise.all(
    paths.map(
      async (path): Promise<[string, Uint8Array]> => [path, await readFile(join(root, path))],
    ),
  )
  const { stored, problems } = renderArchiveBatch(files, setup)
  parentPort?.postMessage({ id, lines: stored.map((article) => JSON.stringify(article)), problems })
})
