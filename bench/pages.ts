/**
 * Page weights: what a reader downloads to see the index, the lists of tags, and the OPML
 * files, for a generated newsroom of 1,500 long articles and for one that tagged everything
 * (10,000 short articles, five tags of their own each: 50,000 and more tags), before the index
 * was bounded (commit `--before`) and now, in one run: each built in a copy of the project and
 * served by `wrangler dev`.
 */

import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { startDev } from '../scripts/dev-server'
import { buildIn, newsroomContent, projectCopy } from '../scripts/project-copy'
import { section } from './report'

const WORK = join('.wrangler', 'bench-pages')
const BEFORE = process.argv.find((a) => a.startsWith('--before='))?.slice(9) ?? '57047af'
const PATHS = ['/', '/tags/', '/feeds.opml', '/tags.opml']

interface Weight {
  path: string
  status: number
  bytes: number
  gzip: number
}

async function weigh(design: 'before' | 'after', root: string, port: number): Promise<Weight[]> {
  const dir = projectCopy(
    join(process.cwd(), WORK, `${design}-${root.split('/').pop()}`),
    design === 'before' ? BEFORE : undefined,
  )
  buildIn(dir, root)
  const dev = await startDev({ cwd: dir, port, inspector: true })
  try {
    const weights: Weight[] = []
    for (const path of PATHS) {
      const response = await fetch(`${dev.origin}${path}`)
      const body = new Uint8Array(await response.arrayBuffer())
      weights.push({
        path,
        status: response.status,
        bytes: body.byteLength,
        gzip: gzipSync(body).byteLength,
      })
    }
    return weights
  } finally {
    await dev.stop()
  }
}

const kb = (bytes: number) =>
  `${(bytes / 1000).toLocaleString('en-US', { maximumFractionDigits: 1 })} KB`

/** Runs the page-weight comparison; returns the index's bytes now with 50,000+ tags. */
export async function benchPages(): Promise<number> {
  const newsroom = await newsroomContent(join(process.cwd(), WORK, 'newsroom-1500'), {
    articles: 1500,
  })
  const tagged = await newsroomContent(join(process.cwd(), WORK, 'tagged-10000'), {
    articles: 10_000,
    paragraphs: [2, 4],
    ownTags: 5,
  })
  const rows: string[] = []
  let indexNow = 0
  let port = 8890
  for (const [label, root] of [
    ['1,500 long articles, 24 authors, ~300 tags', newsroom],
    ['10,000 short articles, 24 authors, 50,000+ tags', tagged],
  ] as const) {
    const before = await weigh('before', root, port)
    const after = await weigh('after', root, port + 2)
    port += 4
    for (const path of PATHS) {
      const b = before.find((w) => w.path === path) as Weight
      const a = after.find((w) => w.path === path) as Weight
      const then = b.status === 200 ? `${kb(b.bytes)} (${kb(b.gzip)} gzip)` : `${b.status}`
      rows.push(`| ${label} | \`${path}\` | ${then} | ${kb(a.bytes)} (${kb(a.gzip)} gzip) |`)
      if (root === tagged && path === '/') indexNow = a.bytes
    }
  }
  section(
    [
      '### Page weights: the index, the tag list and the OPML files',
      '',
      `Bytes of each answer (and gzipped), before the index was bounded (commit ${BEFORE}) and now, for the same content in one run. Before, /tags/ and /tags.opml did not exist (404).`,
      '',
      '| content | page | before | now |',
      '| --- | --- | ---: | ---: |',
      ...rows,
      '',
    ].join('\n'),
  )
  return indexNow
}
