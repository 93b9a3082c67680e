/**
 * `npm run load`: autocannon against `wrangler dev` on 127.0.0.1, 100 connections for 60 s,
 * cycling through every site, category, author, tag and curated feed in all three formats,
 * half of the requests conditional. Reports requests/s, p50/p99 latency and the count of
 * answers that are neither 2xx nor 304 (which must be zero), and records them in
 * bench/RESULTS.md. A script, not a test: nothing here asserts a time.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { startDev } from '../scripts/dev-server'
import type { Catalog } from '../src/model/feeds'
import { listFeeds } from '../src/model/feeds'
import { encodePath } from '../src/render/document'
import { formatsOf } from '../src/render/formats'
import { machine } from './report'

const PORT = 8798
const ORIGIN = `http://127.0.0.1:${PORT}`
const seconds = Number(process.argv.find((a) => a.startsWith('--seconds='))?.slice(10) ?? 60)
const connections = Number(
  process.argv.find((a) => a.startsWith('--connections='))?.slice(14) ?? 100,
)
const RESULTS = join(import.meta.dirname, 'RESULTS.md')
const START = '<!-- load:start -->'
const END = '<!-- load:end -->'

const bundle: { catalog: Catalog } = JSON.parse(
  readFileSync(join(import.meta.dirname, '../src/store/generated/catalog.json'), 'utf8'),
)
const dev = await startDev({ port: PORT })
try {
  const requests: autocannon.Request[] = []
  for (const feed of listFeeds(bundle.catalog)) {
    for (const format of formatsOf(feed)) {
      const path = `/${feed.path ? `${encodePath(feed.path)}/` : ''}${format.file}`
      const response = await fetch(`${ORIGIN}${path}`)
      await response.arrayBuffer()
      requests.push(
        { method: 'GET', path },
        {
          method: 'GET',
          path,
          headers: { 'if-none-match': response.headers.get('etag') as string },
        },
      )
    }
  }
  const statuses: Record<number, number> = {}
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const run = autocannon(
      { url: ORIGIN, connections, duration: seconds, requests },
      (error, done) => (error ? reject(error) : resolve(done)),
    )
    run.on('response', (_client, status) => {
      statuses[status] = (statuses[status] ?? 0) + 1
    })
  })
  const good = (statuses[200] ?? 0) + (statuses[304] ?? 0)
  const total = Object.values(statuses).reduce((a, b) => a + b, 0)
  const bad = total - good + result.errors + result.timeouts
  const section = [
    START,
    '## Load (`npm run load`)',
    '',
    `${new Date().toISOString().slice(0, 10)}, ${machine()}: autocannon, ${connections} connections for ${seconds} s against \`wrangler dev\` on 127.0.0.1, cycling through ${requests.length / 2} feed URLs (${listFeeds(bundle.catalog).length} feeds in every format each is served in, aggregator profiles included), every other request conditional (\`If-None-Match\` with the current ETag). autocannon runs on the same two cores as workerd and the wrangler proxy.`,
    '',
    '| requests/s (mean) | requests/s (min–max per second) | p50 | p99 | max | requests | 200 | 304 | neither 2xx nor 304 | errors | timeouts |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${Math.round(result.requests.average).toLocaleString('en-US')} | ${result.requests.min.toLocaleString('en-US')}–${result.requests.max.toLocaleString('en-US')} | ${result.latency.p50} ms | ${result.latency.p99} ms | ${result.latency.max} ms | ${total.toLocaleString('en-US')} | ${(statuses[200] ?? 0).toLocaleString('en-US')} | ${(statuses[304] ?? 0).toLocaleString('en-US')} | ${bad} | ${result.errors} | ${result.timeouts} |`,
    '',
    END,
  ].join('\n')
  console.log(section)
  const current = readFileSync(RESULTS, 'utf8')
  const start = current.indexOf(START)
  const kept =
    start >= 0
      ? current.slice(0, start) + current.slice(current.indexOf(END) + END.length)
      : current
  writeFileSync(RESULTS, `${kept.trimEnd()}\n\n${section}\n`)
  if (bad > 0) process.exitCode = 1
} finally {
  await dev.stop()
}
