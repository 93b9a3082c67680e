/**
 * `npm run bench`: every benchmark in one run, tables printed as they finish and written with
 * the machine's description to bench/RESULTS.md, one block per benchmark. `--only=a,b` runs
 * and rewrites those blocks and keeps the others as the runs named in them wrote them.
 * Nothing here asserts a time; the targets are judged in bench/verdict.ts.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { LIMITS } from '../src/store/budget'
import { benchAdversarial } from './adversarial'
import { benchD1 } from './d1'
import { benchEmbargo } from './embargo'
import { benchFederation } from './federation'
import { benchHttp } from './http'
import { benchLists } from './lists'
import { benchListsWorkerd } from './lists-workerd'
import { benchMigrate } from './migrate'
import { benchNewsroom } from './newsroom'
import { benchPages } from './pages'
import { benchRender } from './render'
import { drain, machine } from './report'
import { type Block, mergeResults } from './results-file'
import { benchScaling } from './scaling'
import { benchStats } from './stats'
import { benchStore } from './store'
import {
  atLeast,
  atMost,
  divide,
  formatRatio,
  formatSummary,
  formatTimeRatio,
  noiseOf,
  type Verdict,
} from './verdict'

const ORDER = [
  'render',
  'scaling',
  'http',
  'stats',
  'd1',
  'newsroom',
  'pages',
  'lists',
  'embargo',
  'migrate',
  'store',
  'federation',
  'adversarial',
]
const quick = process.argv.includes('--quick')
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice(7)
const wanted = (name: string) => !only || only.split(',').includes(name)
const command = `npm run bench -- ${[quick ? '--quick' : '', only ? `--only=${only}` : '']
  .filter(Boolean)
  .join(' ')}`.replace(/ -- $/, '')
const date = new Date().toISOString().slice(0, 10)
const blocks: Block[] = []

// Runs one benchmark if it was asked for, and keeps what it printed as its block.
async function run(name: string, measure: () => Promise<Verdict[]>): Promise<void> {
  if (!wanted(name)) return
  const verdicts = await measure()
  const provenance = `From \`${command}\` on ${date}, ${machine()}.`
  blocks.push({ name, provenance, sections: drain(), verdicts })
}

await run('render', async () => {
  const ratios = await benchRender(quick ? 300 : 1500)
  return ['rss', 'atom'].flatMap((format) => {
    const r = ratios[format]
    if (!r) throw new Error(`no render ratios for ${format}`)
    const name = format.toUpperCase()
    return [
      atLeast(
        `${name}: ≥ 5× faster than feed@6, items rendered now`,
        formatRatio(r.cold, 1),
        r.cold.value,
        5,
        r.noise[0],
      ),
      atLeast(
        `${name}: ≥ 100× faster than feed@6, fragments precomputed`,
        formatRatio(r.precomputed, 0),
        r.precomputed.value,
        100,
        r.noise[1],
      ),
    ]
  })
})
await run('scaling', async () => {
  const { small, large } = await benchScaling(quick ? 300 : 1500)
  const ratio = divide('100k', large.median, '1k', small.median)
  return [
    atMost(
      'a cache miss at 100k articles within 1.5× of the time at 1k',
      formatTimeRatio(ratio),
      ratio.value,
      1.5,
      noiseOf(small, large),
    ),
  ]
})
await run('http', async () => {
  const share = await benchHttp(quick ? 2 : 7, quick ? 4 : 10)
  return [
    atLeast(
      "cached feed ≥ 0.9× the floor's requests/s",
      `cached ÷ floor requests/s = ${share.toFixed(2)}×`,
      share,
      0.9,
    ),
  ]
})
await run('stats', async () => {
  const { ratio, rounds } = await benchStats(quick)
  return [
    atLeast(
      'statistics on: cached feed ≥ 0.95× the requests/s with them off',
      `${formatRatio(ratio)} (requests/s; round by round ${formatSummary(rounds)})`,
      ratio.value,
      0.95,
    ),
  ]
})
await run('d1', async () => {
  const rows = await benchD1(quick ? 500 : 2000)
  const [small, large] = [rows[10_000], rows[100_000]]
  if (!small || !large) throw new Error('the D1 benchmark measured no 10k or 100k row')
  const ratio = divide('100k', large.median, '10k', small.median)
  return [
    atMost(
      'D1: a cache miss at 100k articles within 1.5× of the time at 10k',
      formatTimeRatio(ratio),
      ratio.value,
      1.5,
      noiseOf(small, large),
    ),
  ]
})
await run('newsroom', async () => {
  const { overMinimum, fewer } = await benchNewsroom(quick)
  return [
    atMost(
      'newsroom day: bytes sent within 1.05× of the minimum',
      `sent ÷ minimum = ${overMinimum.toFixed(3)}×`,
      overMinimum,
      1.05,
    ),
    atLeast(
      'newsroom day: at least 10× fewer bytes than one site-wide version',
      `site-wide ÷ per-feed bytes = ${fewer.toFixed(1)}×`,
      fewer,
      10,
    ),
  ]
})
await run('pages', async () => {
  const index = await benchPages()
  return [
    atMost(
      'index page with 50,000+ tags ≤ 60 KB',
      `${(index / 1000).toFixed(1)} KB`,
      index,
      60_000,
    ),
  ]
})
await run('lists', async () => {
  const ratio = await benchLists(quick)
  const served = await benchListsWorkerd(quick ? 2 : 5, quick ? 3 : 6)
  return [
    atMost(
      'a list of 50,000 tags, in this process: random ?q= p99 within 2× a cached page p99',
      `random ?q= p99 ÷ cached p99 = ${ratio.toFixed(2)}×`,
      ratio,
      2,
    ),
    atMost(
      'a list of 50,000 tags, in workerd over HTTP (1 connection): random ?q= p99 within 2× a cached page p99',
      `random ?q= p99 ÷ cached p99 = ${served.toFixed(2)}×`,
      served,
      2,
    ),
  ]
})
await run('embargo', async () => {
  const extra = await benchEmbargo()
  return [
    atMost(
      'embargoes: an unrelated feed revalidates at most once more per scheduled article',
      `${extra} extra 304s a day for 24 scheduled articles`,
      extra,
      24,
    ),
  ]
})
await run('federation', () => benchFederation(quick))
await run('adversarial', async () => {
  const { linear, nearProse, families } = benchAdversarial(quick)
  return [
    atLeast(
      'hostile bodies: time linear in size up to 1 MiB, every family',
      `${linear} of ${families} families linear`,
      linear,
      families,
    ),
    atLeast(
      'hostile bodies: each at 1 MiB within 3× ordinary prose at 1 MiB',
      `${nearProse} of ${families} families within 3×`,
      nearProse,
      families,
    ),
  ]
})
await run('migrate', async () => {
  const peak = await benchMigrate()
  return [
    atMost(
      'migrate: a 100 MB WordPress export within 1 GiB of memory',
      `${(peak / 1048576).toFixed(0)} MiB at most (max RSS)`,
      peak,
      1024 * 1048576,
    ),
  ]
})
await run('store', async () => {
  const { heap, articles } = await benchStore(quick)
  // The heap must leave an isolate's caches their room: 128 MiB less 56 MiB.
  const room = LIMITS.isolateBytes - LIMITS.cacheBytes
  const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`
  return [
    atMost(
      `bundled store: the ${articles.toLocaleString('en-US')}-article newsroom's heap within an isolate, beside its caches`,
      `${mib(heap)} measured, of ${mib(room)} (128 MiB less 56 MiB of caches)`,
      heap,
      room,
    ),
  ]
})
// Whatever printed outside the benchmarks above still goes into the file, under its own name.
await run('other', async () => [])

const previous = join(import.meta.dirname, 'RESULTS.md')
const header = [
  '# Benchmark results',
  '',
  'Each block below was written by the run it names (command, date, machine): `npm run bench`',
  'rewrites every block, `npm run bench -- --only=a,b` rewrites those and keeps the others.',
  "Tables show the median with its median absolute deviation (MAD) and p99, so the machine's",
  'noise is visible; ratios compare medians taken in the same run and name their direction.',
  '',
]
const text = mergeResults(
  existsSync(previous) ? readFileSync(previous, 'utf8') : '',
  blocks.filter((b) => b.sections.length > 0 || b.verdicts.length > 0),
  [...ORDER, 'other'],
  header,
)
writeFileSync(previous, text)
console.log(`\nwrote bench/RESULTS.md (${blocks.map((b) => b.name).join(', ')})`)
