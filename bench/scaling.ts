/**
 * Scaling: the newest 50 items of one category (state, slice, records, render to chunks) from
 * bundled stores of 1k, 10k and 100k articles. The cost should follow the page, not the
 * archive. The index is the real one for each size; records (held in memory here, static assets
 * in the Worker) are shared in turn by articles beyond the body pool, so 100k fit in memory.
 */
import { Bench } from 'tinybench'
import { BODY_POOL, corpusCatalog, generateArticles } from '../scripts/corpus'
import { renderFeedChunks } from '../src/http/encode'
import { findFeed } from '../src/model/feeds'
import type { FeedDefinition } from '../src/model/types'
import type { FeedDocument } from '../src/render/document'
import { FORMATS, renderFragments } from '../src/render/formats'
import { BundledStore } from '../src/store/bundled'
import { compileBundle } from '../src/store/compile'
import { rowsOf, table } from './report'

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

/** Runs the scaling benchmark; returns the 100k ÷ 1k median ratio. */
export async function benchScaling(time: number): Promise<number> {
  const bench = new Bench({ time, warmup: true, warmupTime: 200 })
  const rss = FORMATS[0]
  if (!rss) throw new Error('no formats')
  let sink = 0
  for (const size of SIZES) {
    const started = performance.now()
    const store = storeOf(size)
    const catalog = await store.catalog(NOW)
    const feed = findFeed(catalog, 'categories/section-7') as FeedDefinition
    console.log(
      `built a ${size.toLocaleString('en-US')}-article store in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    )
    bench.add(`${size.toLocaleString('en-US')} articles`, async () => {
      const state = await store.state(feed, NOW)
      const page = await store.items(feed, 0, 50, 'rss', NOW)
      const doc: FeedDocument = {
        site: catalog.site,
        feed,
        selfUrl: 'https://bench.test/categories/section-7/rss.xml',
        updated: state.updated,
      }
      sink += renderFeedChunks(rss, doc, page.items).length
    })
  }
  await bench.run()
  if (sink === 0) throw new Error('nothing rendered')
  const rows = rowsOf(bench)
  const base = rows[0]
  table(
    'Scaling: newest 50 items of one category (RSS), bundled store, records in memory',
    rows,
    () => base,
    'ratio = 1k median ÷ this median (1.0× = no slower than the 1k store).',
  )
  return (rows[2]?.median ?? 0) / (base?.median ?? 1)
}
