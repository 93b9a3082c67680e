import { describe, expect, it } from 'vitest'
import { storeWarnings } from '../../src/store/budget'

const fits = { articles: 1500, indexBytes: 300_000, indexGzipBytes: 80_000, assetFiles: 1509 }

describe('storeWarnings', () => {
  it('says nothing while the bundled store fits every limit', () => {
    expect(storeWarnings(fits)).toEqual([])
  })

  it('names the asset-file limits, with the numbers, and the way on', () => {
    const [free] = storeWarnings({ ...fits, articles: 25_000, assetFiles: 25_009 })
    expect(free).toBe(
      "25009 static asset files (a record per article): past Workers Free's 20000 per version; past this size, serve from D1: `npm run start:d1` locally, `npm run import -- --remote` to deploy",
    )
    expect(storeWarnings({ ...fits, assetFiles: 100_001 })[0]).toMatch(/and Workers Paid's 100000/)
  })

  it("warns when the index would crowd an isolate's 128 MiB", () => {
    const [heap] = storeWarnings({ ...fits, articles: 200_000, indexBytes: 40 * 1024 * 1024 })
    expect(heap).toMatch(
      /^the bundled store's index of 200000 articles takes about 180\.0 MiB of an isolate's 128 MiB once loaded; 64\.0 MiB is safe beside the caches; past this size, serve from D1/,
    )
  })

  it('warns when the index passes the compressed Worker size', () => {
    expect(storeWarnings({ ...fits, indexGzipBytes: 4 * 1024 * 1024 })).toEqual([
      "the index is 4.0 MiB gzipped: past Workers Free's 3 MiB Worker; past this size, serve from D1: `npm run start:d1` locally, `npm run import -- --remote` to deploy",
    ])
  })
})
