/** Bundle: `wrangler deploy --dry-run` with the shipped content; the size Cloudflare would take. */
import { execFileSync } from 'node:child_process'
import { section } from './report'

/** Returns the gzip size in KiB. */
export function benchBundle(): number {
  const out = execFileSync(
    'sh',
    ['scripts/wrangler.sh', 'deploy', '--dry-run', '--outdir', 'dist'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const match = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(out)
  if (!match) throw new Error(`no size in wrangler output:\n${out}`)
  section(
    [
      '### Bundle',
      '',
      '| measure | size |',
      '| --- | ---: |',
      `| minified Worker, with the shipped content | ${match[1]} KiB |`,
      `| gzip | ${match[2]} KiB |`,
      '',
    ].join('\n'),
  )
  return Number(match[2])
}
