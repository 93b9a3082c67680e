/**
 * HTTP on `wrangler dev` (workerd) with autocannon, 50 connections: a cached feed, the 304
 * path, and a constant body of the same size from the same Worker as the floor. Rounds are
 * interleaved so that drift in the machine hits every case alike; the spread is across rounds.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import autocannon from 'autocannon'
import { section } from './report'

const PORT = 8797
const ORIGIN = `http://127.0.0.1:${PORT}`

/** The benchmark's Worker: the production one plus the floor route (bench/floor-worker.ts). */
export const FLOOR_WORKER = 'bench/floor-worker.ts'

/**
 * Starts `wrangler dev` on 127.0.0.1 and waits until it answers: by default the benchmark's
 * Worker (`main` replaces wrangler.toml's); `vars` and `args` add variables and options.
 */
export async function startDev(
  port = PORT,
  {
    main = FLOOR_WORKER,
    vars = [],
    args = [],
  }: { main?: string; vars?: string[]; args?: string[] } = {},
): Promise<ChildProcess> {
  const child = spawn(
    'sh',
    [
      'scripts/wrangler.sh',
      'dev',
      main,
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      ...vars.flatMap((v) => ['--var', v]),
      ...args,
      '--log-level',
      'error',
    ],
    {
      stdio: 'ignore',
      detached: true,
    },
  )
  for (let i = 0; i < 150; i++) {
    await new Promise((resolve) => setTimeout(resolve, 200))
    const ok = await fetch(`http://127.0.0.1:${port}/rss.xml`).then(
      (r) => r.ok,
      () => false,
    )
    if (ok) return child
  }
  throw new Error(`wrangler dev on ${port} did not start`)
}

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
  const child = await startDev()
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
    if (child.pid) process.kill(-child.pid, 'SIGINT')
  }
}
