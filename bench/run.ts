/**
 * `npm run bench`: every benchmark in one run, tables printed as they finish and written with
 * the machine's description to bench/RESULTS.md. Nothing here asserts a time.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { benchAdversarial } from './adversarial'
import { benchD1 } from './d1'
import { benchHttp } from './http'
import { benchMigrate } from './migrate'
import { benchNewsroom } from './newsroom'
import { benchPages } from './pages'
import { benchRender } from './render'
import { collected, machine, section } from './report'
import { benchScaling } from './scaling'
import { benchStats } from './stats'
import { benchStore } from './store'

const quick = process.argv.includes('--quick')
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice(7)
const wanted = (name: string) => !only || only.split(',').includes(name)
const verdicts: string[] = []
const verdict = (target: string, measured: string, met: boolean) =>
  verdicts.push(`| ${target} | ${measured} | ${met ? 'met' : '**not met**'} |`)

if (wanted('render')) {
  const ratios = await benchRender(quick ? 300 : 1500)
  for (const format of ['rss', 'atom']) {
    const r = ratios[format]
    if (!r) continue
    verdict(
      `${format.toUpperCase()}: ≥ 5× faster than feed@6, items rendered now`,
      `${r.cold.toFixed(1)}×`,
      r.cold >= 5,
    )
    verdict(
      `${format.toUpperCase()}: ≥ 100× faster than feed@6, fragments precomputed`,
      `${r.precomputed.toFixed(0)}×`,
      r.precomputed >= 100,
    )
  }
}
if (wanted('scaling')) {
  const ratio = await benchScaling(quick ? 300 : 1500)
  verdict(
    '100k-article store within 1.5× of the 1k store',
    `${(1 / ratio).toFixed(2)}× the 1k time`,
    1 / ratio <= 1.5,
  )
}
if (wanted('http')) {
  const share = await benchHttp(quick ? 2 : 7, quick ? 4 : 10)
  verdict("cached feed ≥ 0.9× the floor's requests/s", `${share.toFixed(2)}×`, share >= 0.9)
}
if (wanted('stats')) {
  const ratio = await benchStats(quick)
  verdict(
    'statistics on: cached feed ≥ 0.95× the requests/s with them off',
    `${ratio.toFixed(2)}×`,
    ratio >= 0.95,
  )
}
if (wanted('d1')) {
  const medians = await benchD1(quick ? 500 : 2000)
  const [small, large] = [medians[10_000] ?? 0, medians[100_000] ?? 0]
  verdict(
    'D1: a cache miss at 100k articles close to 10k',
    `${(large / small).toFixed(2)}× the 10k time`,
    large / small <= 1.5,
  )
}
if (wanted('newsroom')) {
  const { overMinimum, fewer } = await benchNewsroom(quick)
  verdict(
    'newsroom day: bytes sent within 1.05× of the minimum',
    `${overMinimum.toFixed(3)}×`,
    overMinimum <= 1.05,
  )
  verdict(
    'newsroom day: at least 10× fewer bytes than one site-wide version',
    `${fewer.toFixed(1)}× fewer`,
    fewer >= 10,
  )
}
if (wanted('pages')) {
  const index = await benchPages()
  verdict(
    'index page with 50,000+ tags ≤ 60 KB',
    `${(index / 1000).toFixed(1)} KB`,
    index <= 60_000,
  )
}
if (wanted('migrate')) {
  const peak = await benchMigrate()
  verdict(
    'migrate: a 100 MB WordPress export within 1 GB of memory',
    `${(peak / 1048576).toFixed(0)} MiB at most`,
    peak <= 1024 * 1048576,
  )
}
if (wanted('adversarial')) {
  const { linear, families } = benchAdversarial(quick)
  verdict(
    'hostile bodies: time linear in size up to 1 MiB, every family',
    `${linear} of ${families} families linear`,
    linear === families,
  )
}
if (wanted('store')) {
  const safe = await benchStore(quick)
  verdict(
    'bundled store: holds the 1,500-article newsroom within an isolate',
    `about ${Math.floor(safe).toLocaleString('en-US')} articles at the lowest limit`,
    safe >= 1500,
  )
}

section(
  ['### Targets', '', '| target | measured | |', '| --- | --- | --- |', ...verdicts, ''].join('\n'),
)

if (!only) {
  const header = [
    '# Benchmark results',
    '',
    `Produced by \`npm run bench${quick ? ' -- --quick' : ''}\` on ${new Date().toISOString().slice(0, 10)}, ${machine()}.`,
    'Each table shows the median with its median absolute deviation (MAD) and p99, so the',
    "machine's noise is visible; ratios compare medians taken in the same run.",
    '',
  ]
  // The load section (`npm run load`) is another command's: it is kept as it was.
  const file = join(import.meta.dirname, 'RESULTS.md')
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : ''
  const load = /<!-- load:start -->[\s\S]*<!-- load:end -->/.exec(previous)?.[0]
  writeFileSync(file, `${[...header, ...collected(), ...(load ? [load] : [])].join('\n')}\n`)
  console.log('\nwrote bench/RESULTS.md')
}
