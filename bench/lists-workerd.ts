/**
 * The filtered list in workerd: `/tags/?q=…` with queries nobody asked before against the cached
 * `/tags/`, over HTTP to `wrangler dev` running the production app on the 50,000-tag newsroom
 * (bench/lists-worker.ts). autocannon sends the requests; each response's time is kept whole
 * (its own histogram rounds to whole milliseconds). Rounds interleave the two cases, so drift in
 * the machine hits both alike; the spread is across rounds.
 */
import autocannon from 'autocannon'
import { startDev } from '../scripts/dev-server'
import { TAGS } from '../tests/helpers/big-newsroom'
import { queryOf, randomOf } from './lists'
import { section } from './report'

const PORT = 8811
const WORKER = 'bench/lists-worker.ts'

interface Times {
  /** Response times in milliseconds, 2xx only. */
  times: number[]
  /** Responses that were not 200. */
  bad: number
}

// One case for `seconds` on `connections` connections; `pathOf` names each request's path.
async function measure(
  origin: string,
  pathOf: () => string,
  connections: number,
  seconds: number,
): Promise<Times> {
  const out: Times = { times: [], bad: 0 }
  await new Promise<void>((resolve, reject) => {
    const instance = autocannon(
      {
        url: origin,
        connections,
        duration: seconds,
        requests: [{ setupRequest: (request) => ({ ...request, path: pathOf() }) }],
      },
      (error) => (error ? reject(error) : resolve()),
    )
    instance.on('response', (_client, status, _bytes, time) => {
      if (status === 200) out.times.push(time)
      else out.bad += 1
    })
  })
  return out
}

const quantile = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number
const sortedOf = (values: readonly number[]) => [...values].sort((a, b) => a - b)
const ms = (value: number) => `${value.toFixed(2)} ms`

/** Runs the comparison in workerd; returns the random queries' p99 ÷ the cached page's p99. */
export async function benchListsWorkerd(rounds: number, seconds: number): Promise<number> {
  const dev = await startDev({ port: PORT, main: WORKER })
  try {
    // The names as the pages print them, to cut queries from (as the in-process run does).
    const names = Array.from({ length: TAGS }, (_, i) => `Topic ${i}`)
    for (let page = 1; page <= 5; page++) {
      const html = await (await fetch(`${dev.origin}/tags/?page=${page}`)).text()
      for (const [, name] of html.matchAll(/<th scope="row"><a href="[^"]+">([^<]+)<\/a>/g))
        names.push(name as string)
    }
    const cached = await fetch(`${dev.origin}/tags/`)
    const size = (await cached.arrayBuffer()).byteLength
    const layer = (await fetch(`${dev.origin}/tags/`)).headers.get('x-cache')
    if (layer !== 'HIT') throw new Error(`/tags/ answered from ${layer}, not the isolate cache`)
    const random = randomOf(19)
    const query = () =>
      `/tags/?q=${encodeURIComponent(queryOf(random, names)).replace(/%20/g, '+')}`
    const cases: [string, () => string][] = [
      [`floor: constant ${size} B body`, () => `/__floor?bytes=${size}&headers=feed`],
      ['cached /tags/ (isolate hit)', () => '/tags/'],
      ['random /tags/?q=… (new query)', query],
    ]
    const connections = [1, 8]
    const lines: string[] = []
    let target = 0
    for (const n of connections) {
      // A warm-up of each case, not counted.
      for (const [, pathOf] of cases) await measure(dev.origin, pathOf, n, 2)
      const runs = cases.map((): Times[] => [])
      for (let round = 0; round < rounds; round++)
        for (const [index, [, pathOf]] of cases.entries())
          runs[index]?.push(await measure(dev.origin, pathOf, n, seconds))
      const all = runs.map((r) => sortedOf(r.flatMap((x) => x.times)))
      const perRound = runs.map((r) => r.map((x) => quantile(sortedOf(x.times), 0.99)))
      const [, cachedAll, filteredAll] = all as [number[], number[], number[]]
      const ratio = quantile(filteredAll, 0.99) / quantile(cachedAll, 0.99)
      const roundRatios = (perRound[2] ?? []).map((p, i) => p / (perRound[1]?.[i] ?? 1))
      if (n === 1) target = ratio
      for (const [index, [name]] of cases.entries()) {
        const sorted = all[index] ?? []
        const p99s = perRound[index] ?? []
        const bad = (runs[index] ?? []).reduce((sum, x) => sum + x.bad, 0)
        lines.push(
          `| ${n} | ${name} | ${sorted.length.toLocaleString('en-US')} | ${ms(quantile(sorted, 0.5))} | ${ms(quantile(sorted, 0.99))} | ${ms(Math.min(...p99s))}–${ms(Math.max(...p99s))} | ${bad} | ${index < 2 ? '' : `${ratio.toFixed(2)}× (rounds ${Math.min(...roundRatios).toFixed(2)}–${Math.max(...roundRatios).toFixed(2)}×)`} |`,
        )
      }
    }
    section(
      [
        `### Filtering a list of 50,000 tags in workerd: wrangler dev, autocannon, ${rounds} interleaved rounds of ${seconds} s`,
        '',
        "The production app (middleware, statistics recorder, caches) over the same 50,000-tag newsroom, over HTTP on 127.0.0.1. Each response's time as autocannon measured it, whole; p99 over all rounds, and the spread of the per-round p99s. p99 ratio = random ?q= p99 ÷ cached p99. The floor is a constant body of the page's size with a cached page's headers, from the same Worker: what HTTP and the runtime cost before the app does anything.",
        '',
        '| connections | case | responses | p50 | p99 | p99 per round (min–max) | not 200 | p99 ratio |',
        '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
        ...lines,
        '',
      ].join('\n'),
    )
    return target
  } finally {
    await dev.stop()
  }
}
