/**
 * Where the render benchmark's "items rendered now" path (RSS and Atom, 50 items) spends its
 * time: `node --import tsx bench/render-profile.ts [rounds]` runs it under V8's CPU profiler
 * (the one `node --cpu-prof` starts, here started after the articles are generated and the
 * code warmed, so the profile holds the rendering alone), writes the profile to
 * .wrangler/render.cpuprofile and prints the functions with the most self time. The render
 * benchmark runs it too and writes the table into bench/RESULTS.md.
 */
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { CORPUS_SITE, generateArticles } from '../scripts/corpus'
import { siteFeed } from '../src/model/feeds'
import type { Article } from '../src/model/types'
import type { FeedDocument } from '../src/render/document'
import { FORMATS } from '../src/render/formats'

const encoder = new TextEncoder()

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount?: number
}

// Self time per function (samples that were in it, not in what it called), largest first.
function summarise(profile: { nodes: ProfileNode[] }, top: number): Share[] {
  const byFunction = new Map<string, number>()
  let total = 0
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0
    total += hits
    const { functionName, url, lineNumber } = node.callFrame
    const file = url.replace(/^.*\/(src|scripts|bench|node_modules)\//, '$1/')
    const name = `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`
    byFunction.set(name.trim(), (byFunction.get(name.trim()) ?? 0) + hits)
  }
  return [...byFunction.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, hits]) => ({ name, share: hits / total }))
}

/**
 * The render benchmark's "items rendered now" task, once: every item escaped and encoded
 * straight into one buffer, as the route does without fragments. Returns the bytes written.
 */
export function renderItemsNow(
  format: (typeof FORMATS)[number],
  doc: FeedDocument,
  articles: readonly Article[],
): number {
  const items = articles.map((a) => format.renderItem(a, CORPUS_SITE.url))
  const { head, separator, tail } = format.render(doc, items)
  const parts = [
    head,
    ...items.flatMap((item, i) => (i > 0 && separator ? [separator, item] : [item])),
    tail,
  ]
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length * 3, 0))
  let offset = 0
  for (const part of parts) offset += encoder.encodeInto(part, out.subarray(offset)).written
  return offset
}

// The benchmark's "items rendered now" task, repeated.
function renderer(): (rounds: number) => number {
  const articles = generateArticles(50, 7)
  const doc: FeedDocument = {
    site: CORPUS_SITE,
    feed: siteFeed(CORPUS_SITE),
    selfUrl: `${CORPUS_SITE.url}/feed`,
    updated: articles[0]?.updated ?? '',
  }
  return (rounds) => {
    let sink = 0
    for (const format of FORMATS.filter((f) => f.name !== 'json'))
      for (let round = 0; round < rounds; round++) sink += renderItemsNow(format, doc, articles)
    return sink
  }
}

/** One function's share of the profiled self time. */
export interface Share {
  name: string
  share: number
}

/** Profiles `rounds` renders of each of RSS and Atom; returns ms per render and the top shares. */
export async function profileRender(rounds: number): Promise<{ ms: number; top: Share[] }> {
  const render = renderer()
  render(50)
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.start')
  const started = performance.now()
  render(rounds)
  const ms = (performance.now() - started) / rounds / 2
  const { profile } = (await session.post('Profiler.stop')) as { profile: { nodes: ProfileNode[] } }
  session.disconnect()
  writeFileSync(
    join(import.meta.dirname, '../.wrangler/render.cpuprofile'),
    JSON.stringify(profile),
  )
  return { ms, top: summarise(profile, 12) }
}

/** The shares as a markdown table. */
export function formatShares(top: readonly Share[]): string {
  return [
    '| function (self time) | share |',
    '| --- | ---: |',
    ...top.map((s) => `| ${s.name} | ${(s.share * 100).toFixed(1)}% |`),
  ].join('\n')
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rounds = Number(process.argv[2] ?? 300)
  const { ms, top } = await profileRender(rounds)
  console.log(
    `${rounds} renders each of RSS and Atom, ${ms.toFixed(2)} ms a render under the profiler`,
  )
  console.log(formatShares(top))
}
