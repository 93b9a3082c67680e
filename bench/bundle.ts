/**
 * Bundle: `wrangler deploy --dry-run` with the shipped content, and the same Worker with
 * synthetic archives of growing size in place of the content, to find how many articles the
 * bundled store can hold under the Workers size limits (3 MiB gzip on Free, 10 MiB on Paid).
 */
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { corpusCatalog, generateArticles } from '../scripts/corpus'
import { renderFragments } from '../src/render/formats'
import { compileBundle } from '../src/store/compile'
import { section } from './report'

const GENERATED = 'src/store/generated/content.json'
const SIZES = [100, 500, 1000, 2000]
const LIMITS = [
  ['Workers Free', 3 * 1024],
  ['Workers Paid', 10 * 1024],
] as const

function dryRun(env?: string): { raw: number; gzip: number } {
  const out = execFileSync(
    'sh',
    [
      'scripts/wrangler.sh',
      'deploy',
      '--dry-run',
      '--outdir',
      'dist',
      ...(env ? ['--env', env] : []),
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const match = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(out)
  if (!match) throw new Error(`no size in wrangler output:\n${out}`)
  return { raw: Number(match[1]), gzip: Number(match[2]) }
}

/** Returns the gzip size in KiB with the shipped content. */
export function benchBundle(): number {
  const shipped = dryRun()
  const d1 = dryRun('d1')
  const rows = [
    `| bundled store, shipped content (1 article) | ${shipped.raw} KiB | ${shipped.gzip} KiB | |`,
    `| D1 store with the publish API (\`--env d1\`) | ${d1.raw} KiB | ${d1.gzip} KiB | |`,
  ]
  const backup = `${GENERATED}.shipped`
  copyFileSync(GENERATED, backup)
  const perArticle: number[] = []
  try {
    for (const size of SIZES) {
      const catalog = corpusCatalog()
      const articles = generateArticles(size, 5, catalog)
      writeFileSync(
        GENERATED,
        JSON.stringify(
          compileBundle(
            catalog,
            articles,
            (a) => renderFragments(a, catalog.site.url),
            `bench-${size}`,
          ),
        ),
      )
      const { raw, gzip } = dryRun()
      const per = (gzip - shipped.gzip) / size
      perArticle.push(per)
      rows.push(
        `| bundled store, ${size.toLocaleString('en-US')} synthetic articles (~6 KB bodies) | ${raw.toLocaleString('en-US')} KiB | ${gzip.toLocaleString('en-US')} KiB | ${per.toFixed(1)} KiB |`,
      )
    }
  } finally {
    if (existsSync(backup)) renameSync(backup, GENERATED)
  }
  const per = perArticle.at(-1) ?? 1
  // The synthetic text repeats a small vocabulary and compresses better than prose: the seed
  // article's own record (model and three fragments) gives the figure for real articles.
  const seed = JSON.parse(readFileSync(GENERATED, 'utf8')).articles[0]
  const real = gzipSync(JSON.stringify(seed), { level: 9 }).byteLength / 1024
  const within = (kib: number, each: number) =>
    Math.floor((kib - shipped.gzip) / each).toLocaleString('en-US')
  const crossover = LIMITS.map(
    ([plan, kib]) =>
      `${plan} (${kib / 1024} MiB gzip): about ${within(kib, real)} articles like the seed (${within(kib, per)} synthetic ones)`,
  )
  section(
    [
      '### Bundle',
      '',
      '| Worker bundle | minified | gzip | gzip per article |',
      '| --- | ---: | ---: | ---: |',
      ...rows,
      '',
      `Crossover: ${real.toFixed(1)} KiB gzip per article like the seed, ${per.toFixed(1)} KiB per synthetic one (each the article and its three fragments): ${crossover.join('; ')}. Past that, the D1 store holds the archive.`,
      '',
    ].join('\n'),
  )
  return shipped.gzip
}
