/**
 * What a filtered list costs: `/tags/?q=…` with a query nobody asked before, against the same
 * list served from the isolate's cache, on a newsroom of 50,000 tags (the route tests' big
 * newsroom, bundled store, in this process). A query is chosen by whoever sends it, so the
 * target is on the tail: the p99 of random queries within 2× the p99 of a cached page.
 */
import { Bench } from 'tinybench'
import { bigNewsroomApp, TAGS } from '../tests/helpers/big-newsroom'
import { rowsOf, table } from './report'

const ORIGIN = 'https://news.test'

// A small deterministic generator (mulberry32): the same queries on every run.
export function randomOf(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const LETTERS = 'abcdeéfghijklmnopqrstuvwxyzø0123456789 東서カМΕ'

// What people type: a piece of a real name (a word, a number, a prefix), or letters at random,
// spaced as the route spells it (one space between words), so that no query is redirected.
export function queryOf(random: () => number, names: readonly string[]): string {
  return typedQuery(random, names).replace(/\s+/g, ' ').trim() || 'x'
}

function typedQuery(random: () => number, names: readonly string[]): string {
  if (random() < 0.7) {
    // By code point: a query cut inside a surrogate pair is not something anyone types.
    const name = Array.from(names[Math.floor(random() * names.length)] ?? '')
    const start = Math.floor(random() * name.length)
    const text = name
      .slice(start, start + 1 + Math.floor(random() * 6))
      .join('')
      .trim()
    if (text) return text
  }
  const length = 1 + Math.floor(random() * 4)
  return (
    Array.from({ length }, () => LETTERS[Math.floor(random() * LETTERS.length)])
      .join('')
      .trim() || 'x'
  )
}

async function fetchPage(app: ReturnType<typeof bigNewsroomApp>, path: string): Promise<string> {
  const response = await app.request(`${ORIGIN}${path}`)
  await response.arrayBuffer()
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}`)
  return response.headers.get('x-cache') ?? ''
}

/** Runs the comparison; returns random-query p99 ÷ cached-page p99. */
export async function benchLists(quick: boolean): Promise<number> {
  const app = bigNewsroomApp()
  const names = Array.from({ length: TAGS }, (_, i) => `Topic ${i}`)
  // The list's names as the page prints them, to cut queries from.
  for (let page = 1; page <= 5; page++) {
    const html = await (await app.request(`${ORIGIN}/tags/?page=${page}`)).text()
    for (const [, name] of html.matchAll(/<th scope="row"><a href="[^"]+">([^<]+)<\/a>/g))
      names.push(name as string)
  }
  const random = randomOf(19)
  const misses = { count: 0, of: 0 }
  await fetchPage(app, '/tags/')
  const bench = new Bench({ time: quick ? 2000 : 8000, warmup: true, warmupTime: 500 })
  bench
    .add('cached /tags/ (isolate hit)', async () => {
      if ((await fetchPage(app, '/tags/')) !== 'HIT') throw new Error('/tags/ was not cached')
    })
    .add('random /tags/?q=… (new query)', async () => {
      const q = encodeURIComponent(queryOf(random, names)).replace(/%20/g, '+')
      const layer = await fetchPage(app, `/tags/?q=${q}`)
      misses.of += 1
      if (layer === 'MISS') misses.count += 1
    })
  await bench.run()
  const rows = rowsOf(bench)
  const [cached, filtered] = rows as [(typeof rows)[0], (typeof rows)[0]]
  const ratio = filtered.p99 / cached.p99
  const medians = filtered.median / cached.median
  table(
    'Filtering a list of 50,000 tags',
    rows,
    () => cached,
    `In-process app, bundled store, ${TAGS.toLocaleString('en-US')} tags; ${misses.count} of ${misses.of} random queries missed every cache and were rendered. Ratio column: cached median ÷ row median. random ?q= p99 ÷ cached p99 = ${ratio.toFixed(2)}×: ${ratio <= 2 ? 'met' : 'not met'} (≤ 2×); random ?q= median ÷ cached median = ${medians.toFixed(1)}× (a page of 200 rows written now against a stored one).`,
  )
  return ratio
}
