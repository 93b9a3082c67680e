/**
 * The bundled store's size: the Worker bundle (`wrangler deploy --dry-run`), the static asset
 * files, and the isolate's heap once it has loaded the store and answered a few requests (V8's
 * own count through workerd's inspector, after a garbage collection), with the workerd
 * process's resident memory beside it. Generated newsrooms of long and short articles are
 * built in copies of the project; the design before article records left the heap (the commit
 * `--before`, by default the last one with it) is measured in the same run as the peer.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startDev } from '../scripts/dev-server'
import { buildIn, dryRunIn, newsroomContent, projectCopy } from '../scripts/project-copy'
import { HEAP_PER_INDEX_BYTE, LIMITS } from '../src/store/budget'
import { section } from './report'

const WORK = join('.wrangler', 'bench-store')
/** The last commit whose bundled store kept every article and fragment in the heap. */
const BEFORE = process.argv.find((a) => a.startsWith('--before='))?.slice(9) ?? '57047af'
const MIB = 1024 * 1024

interface Variant {
  label: string
  design: 'before' | 'after'
  articles: number
  paragraphs?: [number, number]
}

interface Measured extends Variant {
  bundleGzip: number
  assetFiles: number
  heap: number
  rss: number
}

/** The `ws` client (miniflare's own; Node 20's WebSocket is refused by wrangler's inspector proxy). */
interface Socket {
  onerror: (() => void) | null
  onopen: (() => void) | null
  onmessage: ((event: { data: unknown }) => void) | null
  send(data: string): void
  close(): void
}

// V8's heap of the Worker's isolate, after a full collection (Chrome DevTools Protocol).
async function heapUsed(inspector: string): Promise<number> {
  const { default: Client } = (await import('ws' as string)) as {
    default: new (url: string) => Socket
  }
  const socket = new Client(inspector)
  return new Promise((resolve, reject) => {
    socket.onerror = () => reject(new Error(`no inspector at ${inspector}`))
    socket.onopen = () => {
      socket.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }))
      socket.send(JSON.stringify({ id: 2, method: 'Runtime.getHeapUsage' }))
    }
    socket.onmessage = (event) => {
      const message = JSON.parse(String(event.data))
      if (message.id !== 2) return
      socket.close()
      resolve(message.result.usedSize as number)
    }
  })
}

// The largest resident set among workerd processes: the one running the Worker.
function workerdRss(): number {
  let largest = 0
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('workerd')) continue
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
      largest = Math.max(largest, Number(rss?.[1] ?? 0) * 1024)
    } catch {
      // The process ended while it was read.
    }
  }
  return largest
}

function countFiles(dir: string): number {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
      .length
  } catch {
    return 0
  }
}

async function measure(variant: Variant, port: number): Promise<Measured> {
  const name = `${variant.design}-${variant.articles}-${variant.paragraphs?.join('-') ?? 'long'}`
  const dir = projectCopy(
    join(process.cwd(), WORK, name),
    variant.design === 'before' ? BEFORE : undefined,
  )
  const root = variant.articles
    ? await newsroomContent(
        join(
          process.cwd(),
          WORK,
          `content-${variant.articles}-${variant.paragraphs?.join('-') ?? 'long'}`,
        ),
        {
          articles: variant.articles,
          ...(variant.paragraphs ? { paragraphs: variant.paragraphs } : {}),
        },
      )
    : process.cwd()
  const started = performance.now()
  buildIn(dir, root)
  console.log(`${variant.label}: built in ${((performance.now() - started) / 1000).toFixed(0)} s`)
  const { gzip } = dryRunIn(dir)
  const dev = await startDev({ cwd: dir, port, inspector: true })
  try {
    for (const path of [
      '/',
      '/rss.xml',
      '/atom.xml',
      '/feed.json',
      '/feeds.opml',
      '/rss.xml?page=2',
    ])
      await (await fetch(`${dev.origin}${path}`)).arrayBuffer()
    return {
      ...variant,
      bundleGzip: gzip * 1024,
      assetFiles: countFiles(join(dir, 'build/assets')),
      heap: await heapUsed(dev.inspector),
      rss: workerdRss(),
    }
  } finally {
    await dev.stop()
  }
}

const mib = (bytes: number) => `${(bytes / MIB).toFixed(1)} MiB`
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`
const count = (n: number) => Math.floor(n).toLocaleString('en-US')

/** Runs the store benchmark; returns the measured heap of the 1,500-long-article newsroom. */
export async function benchStore(quick: boolean): Promise<{ heap: number; articles: number }> {
  const variants: Variant[] = [
    { label: 'seed (1 article)', design: 'after', articles: 0 },
    { label: '1,500 long articles', design: 'after', articles: 1500 },
    {
      label: '1,500 short articles (2–4 paragraphs)',
      design: 'after',
      articles: 1500,
      paragraphs: [2, 4],
    },
    ...(quick ? [] : [{ label: '5,000 long articles', design: 'after' as const, articles: 5000 }]),
    { label: 'seed (1 article), before', design: 'before', articles: 0 },
    { label: '1,500 long articles, before', design: 'before', articles: 1500 },
  ]
  const results: Measured[] = []
  let port = 8870
  for (const variant of variants) {
    results.push(await measure(variant, port))
    port += 2
  }
  const seedOf = (design: string) =>
    results.find((r) => r.design === design && r.articles === 0) as Measured
  const per = (r: Measured, field: 'heap' | 'rss' | 'bundleGzip') =>
    r.articles ? (r[field] - seedOf(r.design)[field]) / r.articles : 0
  const rows = results.map(
    (r) =>
      `| ${r.label} | ${r.design} | ${kib(r.bundleGzip)} | ${count(r.assetFiles)} | ${mib(r.heap)} | ${r.articles ? `${kib(per(r, 'heap'))}` : ''} | ${mib(r.rss)} | ${r.articles ? kib(per(r, 'rss')) : ''} |`,
  )
  // The crossover, from the largest newsroom measured after the change.
  const largest = results.filter((r) => r.design === 'after').at(-1) as Measured
  const seed = seedOf('after')
  const heapEach = per(largest, 'heap')
  const bundleEach = per(largest, 'bundleGzip')
  const room = LIMITS.isolateBytes - LIMITS.cacheBytes - seed.heap
  const limits = [
    ['isolate memory (128 MiB, less 56 MiB of caches and the seed’s heap)', room / heapEach],
    [
      'static asset files, Workers Free (20,000 a version)',
      LIMITS.assetFiles.free - countPublic(seed),
    ],
    [
      'Worker size, Workers Free (3 MiB gzip)',
      (LIMITS.workerGzipBytes.free - seed.bundleGzip) / bundleEach,
    ],
    [
      'Worker size, Workers Paid (10 MiB gzip)',
      (LIMITS.workerGzipBytes.paid - seed.bundleGzip) / bundleEach,
    ],
    [
      'static asset files, Workers Paid (100,000 a version)',
      LIMITS.assetFiles.paid - countPublic(seed),
    ],
  ] as const
  const sorted = [...limits].sort((a, b) => a[1] - b[1])
  const long = (design: string) =>
    results.find((r) => r.design === design && r.articles === 1500 && !r.paragraphs) as Measured
  const [before, after] = [long('before'), long('after')]
  const indexJson = readFileSync(
    join(WORK, `after-${largest.articles}-long`, 'src/store/generated/index.json'),
  ).byteLength
  section(
    [
      '### Bundled store: memory and size',
      '',
      `Heap: V8's used heap of the Worker's isolate after a full collection, read through workerd's inspector once the Worker has answered /, three feeds, the OPML and a second page. RSS: the workerd process. "before" is commit ${BEFORE}, where every article and fragment lived in the heap.`,
      '',
      '| content | design | Worker gzip | asset files | heap | heap per article | workerd RSS | RSS per article |',
      '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
      `Per long article, before → after: heap ${kib(per(before, 'heap'))} → ${kib(per(after, 'heap'))} (${(per(before, 'heap') / per(after, 'heap')).toFixed(0)}× less), workerd RSS ${kib(per(before, 'rss'))} → ${kib(per(after, 'rss'))}.`,
      '',
      `Crossover of the bundled store, lowest first (from ${count(largest.articles)} long articles: ${kib(heapEach)} of heap and ${(bundleEach).toFixed(0)} B of gzipped Worker per article; index ${mib(indexJson)}, ${(largest.heap / indexJson).toFixed(1)} heap bytes per index byte, the build warns at ${HEAP_PER_INDEX_BYTE}):`,
      '',
      ...sorted.map(([limit, articles]) => `- ${limit}: about ${count(articles)} articles`),
      '',
      'Past the lowest, serve from D1 (`npm run start:d1`; `npm run import -- --remote` to deploy).',
      '',
    ].join('\n'),
  )
  return { heap: after.heap, articles: after.articles }
}

// The site's own static files (public/), beside one record per article.
function countPublic(seed: Measured): number {
  return seed.assetFiles - 1
}
