/**
 * HTTP on `wrangler dev` (workerd) with autocannon, 50 connections: a cached feed, the 304
 * path, and a constant body of the same size from the same Worker as the floor. Rounds are
 * interleaved so that drift in the machine hits every case alike; the spread is across rounds.
 */
import autocannon from 'autocannon'
import { startDev } from '../scripts/dev-server'
import { section } from './report'

const PORT = 8797
const ORIGIN = `http://127.0.0.1:${PORT}`

/** The benchmark's Worker: the production one plus the floor route (bench/floor-worker.ts). */
const FLOOR_WORKER = 'bench/floor-worker.ts'

interface Run {
  requests: number
  p50: number
  p99: number
  bad: number
}

async function load(path: string, headers: Record<string, string>, seconds: number): Promise<Run> {
  const result = await autocannon({
    url: `${ORIGIN}${path}`,
    connections: 50,
    duration: seconds,
    headers,
  })
  return {
    requests: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    bad:
      result.errors +
      result.timeouts +
      result.non2xx -
      (headers['If-None-Match'] ? result['3xx'] : 0),
  }
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number

/** Runs the HTTP benchmark; returns the cached feed's requests/s as a share of the floor's. */
export async function benchHttp(rounds: number, seconds: number): Promise<number> {
  const dev = await startDev({ port: PORT, main: FLOOR_WORKER })
  try {
    const feed = await fetch(`${ORIGIN}/rss.xml`)
    const size = (await feed.arrayBuffer()).byteLength
    const etag = feed.headers.get('etag') as string
    const cases: [string, string, Record<string, string>][] = [
      [`floor: constant ${size} B body`, `/__floor?bytes=${size}`, {}],
      [`cached feed: /rss.xml (${size} B)`, '/rss.xml', {}],
      ['304: /rss.xml with If-None-Match', '/rss.xml', { 'If-None-Match': etag }],
      [
        `floor with a feed's headers: constant ${size} B body`,
        `/__floor?bytes=${size}&headers=feed`,
        {},
      ],
    ]
    await load('/rss.xml', {}, 2)
    const runs = cases.map((): Run[] => [])
    for (let round = 0; round < rounds; round++) {
      for (const [index, [, path, headers]] of cases.entries())
        runs[index]?.push(await load(path, headers, seconds))
    }
    const floor = median(runs[0]?.map((r) => r.requests) ?? [])
    const rows = cases.map(([name], index) => {
      const r = runs[index] ?? []
      const rps = r.map((x) => x.requests)
      return `| ${name} | ${Math.round(median(rps)).toLocaleString('en-US')} | ${Math.round(Math.min(...rps)).toLocaleString('en-US')}–${Math.round(Math.max(...rps)).toLocaleString('en-US')} | ${median(r.map((x) => x.p50))} ms | ${median(r.map((x) => x.p99))} ms | ${r.reduce((n, x) => n + x.bad, 0)} | ${(median(rps) / floor).toFixed(2)}× |`
    })
    section(
      [
        `### HTTP on wrangler dev, autocannon, 50 connections, ${rounds} interleaved rounds of ${seconds} s`,
        '',
        "ratio = requests/s ÷ the floor's (1.00× = as fast as a constant body from the same Worker).",
        '',
        '| case | req/s (median) | req/s (min–max) | p50 | p99 | errors + unexpected status | ratio |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
        ...rows,
        '',
      ].join('\n'),
    )
    return median(runs[1]?.map((r) => r.requests) ?? []) / floor
  } finally {
    await dev.stop()
  }
}
