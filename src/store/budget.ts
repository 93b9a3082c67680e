/**
 * How much content the bundled store carries safely, and what passes it. The limits are
 * Cloudflare's for a Worker (https://developers.cloudflare.com/workers/platform/limits/); the
 * heap factor is measured (bench/RESULTS.md, "Bundled store memory").
 */
export const LIMITS = {
  /** A Worker's compressed size: 3 MiB on Workers Free, 10 MiB on Workers Paid. */
  workerGzipBytes: { free: 3 * 1024 * 1024, paid: 10 * 1024 * 1024 },
  /** Static asset files per Worker version (one record per article, plus public/). */
  assetFiles: { free: 20_000, paid: 100_000 },
  /** An isolate's memory. */
  isolateBytes: 128 * 1024 * 1024,
  /** What the response caches (32 + 16 MiB) and the record cache (8 MiB) may take of it. */
  cacheBytes: 56 * 1024 * 1024,
  /** What the code and a request's work take before any content (1 MiB measured; kept wide). */
  baseBytes: 8 * 1024 * 1024,
} as const

/**
 * Heap bytes per byte of the index's JSON once the Worker has loaded it (the module's text and
 * the objects parsed from it): 4.3 measured in workerd with 5,000 long articles, rounded up.
 */
export const HEAP_PER_INDEX_BYTE = 4.5

/** What the build measured of the store it wrote. */
export interface StoreSize {
  articles: number
  /** Bytes of the index module (JSON), raw and gzipped (what counts against the Worker size). */
  indexBytes: number
  indexGzipBytes: number
  /** Static asset files: records and the site's own. */
  assetFiles: number
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`

/** The warnings a build prints when the bundled store passes what a Worker holds safely. */
export function storeWarnings(size: StoreSize): string[] {
  const warnings: string[] = []
  const heap = size.indexBytes * HEAP_PER_INDEX_BYTE
  const room = LIMITS.isolateBytes - LIMITS.cacheBytes - LIMITS.baseBytes
  const onward =
    'past this size, serve from D1: `npm run start:d1` locally, `npm run import -- --remote` to deploy'
  if (heap > room)
    warnings.push(
      `the bundled store's index of ${size.articles} articles takes about ${mib(heap)} of an isolate's 128 MiB once loaded; ${mib(room)} is safe beside the caches; ${onward}`,
    )
  if (size.indexGzipBytes > LIMITS.workerGzipBytes.free)
    warnings.push(
      `the index is ${mib(size.indexGzipBytes)} gzipped: past Workers Free's 3 MiB Worker${size.indexGzipBytes > LIMITS.workerGzipBytes.paid ? ' and Workers Paid’s 10 MiB' : ''}; ${onward}`,
    )
  if (size.assetFiles > LIMITS.assetFiles.free)
    warnings.push(
      `${size.assetFiles} static asset files (a record per article): past Workers Free's ${LIMITS.assetFiles.free}${size.assetFiles > LIMITS.assetFiles.paid ? ` and Workers Paid's ${LIMITS.assetFiles.paid}` : ''} per version; ${onward}`,
    )
  return warnings
}
