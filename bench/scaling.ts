/**
 * Scaling: a cache miss of the newest 50 items of one category, through the Worker's own route
 * (catalog, state, slice, records, render, response), from bundled stores of 1k, 10k and 100k
 * articles. The cost should follow the page, not the archive. The index is the real one for each size; records (held in memory here, static assets
 * in the Worker) are shared in turn by articles beyond the body pool, so 100k fit in memory.
 */
import { Bench } from 'tinybench'
import { BODY_POOL, corpusCatalog, generateArticles } from '../scripts/corpus'
import { renderFragments } from '../src/render/formats'
import { BundledStore } from '../src/store/bundled'
import { compileBundle } from '../src/store/compile'
import { type Row, rowsOf, table } from './report'
import { routeMiss } from './route-miss'

const SIZES = [1_000, 10_000, 100_000]
const NOW = Date.UTC(2026, 10, 2)

function storeOf(size: number): BundledStore {
  const catalog = corpusCatalog()
  const articles = generateArticles(size, 11, catalog)
  const fragments = articles.map((a, i) =>
    i < BODY_POOL ? renderFragments(a, catalog.site.url) : { rss: '', atom: '', json: '' },
  )
  const { index, records } = compileBundle(
    catalog,
    articles,
    fragments,
    () => ({ item: (format) => format, violations: '' }),
    {
      nameRecord: (_bytes, position) => `r${position % BODY_POOL}`,
      keepRecord: (position) => position < BODY_POOL,
      build: 'bench',
      now: NOW,
    },
  )
  return new BundledStore(index, async (name) => records.get(name) as Uint8Array, 0)
}

/** Runs the scaling benchmark; returns the 1k and 100k rows. */
export async function benchScaling(time: number): Promise<{ small: Row; large: Row }> {
  const bench = new Bench({ time, warmup: true, warmupTime: 200 })
  let sink = 0
  for (const size of SIZES) {
    const started = performance.now()
    const miss = routeMiss(storeOf(size), NOW, 'https://bench.test')
    // The first request loads the catalog, as the first one in an isolate does.
    await miss('/categories/section-7/rss.xml')
    console.log(
      `built a ${size.toLocaleString('en-US')}-article store in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    )
    bench.add(`${size.toLocaleString('en-US')} articles`, async () => {
      sink += await miss('/categories/section-7/rss.xml')
    })
  }
  await bench.run()
  const rows = rowsOf(bench)
  if (sink === 0) throw new Error('nothing rendered')
  const [small, , large] = rows
  if (!small || !large) throw new Error(`expected ${SIZES.length} rows, got ${rows.length}`)
  table(
    'Scaling: a cache miss of the newest 50 items of one category (RSS) through the route, bundled store, records in memory',
    rows,
    () => small,
    'ratio = 1k median ÷ this median (1.0× = no slower than the 1k store).',
  )
  return { small, large }
}
