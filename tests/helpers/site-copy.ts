import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { buildIn, projectCopy } from '../../scripts/project-copy'
import { type RunningWorker, startWorker } from './worker'

/** A copy of the project built over a content tree of its own, and its Worker running. */
export interface SiteCopy {
  worker: RunningWorker
  /** The project copy (its wrangler.toml and build). */
  dir: string
  /** The content tree it was built from (content/, feeds/). */
  site: string
}

/**
 * Writes `files` (paths under content/ and feeds/ → text) into a temporary site, builds it with
 * `npm run build`'s program in a copy of the project, and starts that copy's Worker.
 */
export async function startSiteCopy(files: Record<string, string>): Promise<SiteCopy> {
  const work = mkdtempSync(join(tmpdir(), 'newswire-site-'))
  const dir = projectCopy(join(work, 'project'))
  const site = join(work, 'site')
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(site, path)), { recursive: true })
    writeFileSync(join(site, path), text)
  }
  buildIn(dir, site)
  const worker = await startWorker({ config: join(dir, 'wrangler.toml') })
  return { worker, dir, site }
}
