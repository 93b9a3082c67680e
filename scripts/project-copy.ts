/**
 * Copies of the project to build and run other content in, beside the real tree (whose build
 * the tests read): the working tree's sources, or a commit's, sharing node_modules.
 */
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from './content-files'
import { type NewsroomOptions, newsroomFiles } from './newsroom'

const PARTS = [
  'src',
  'public',
  'migrations',
  'migrations-stats',
  'scripts',
  'wrangler.toml',
  'package.json',
  'tsconfig.json',
]

/** A copy of the working tree (or of commit `ref`) in `dir`, with the project's node_modules. */
export function projectCopy(dir: string, ref?: string): string {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  if (ref) {
    // An older commit may not have every part yet.
    const present = new Set(
      execFileSync('git', ['ls-tree', '--name-only', ref], { cwd: ROOT, encoding: 'utf8' }).split(
        '\n',
      ),
    )
    const parts = PARTS.filter((part) => present.has(part))
    const archive = execFileSync('git', ['archive', ref, ...parts], { cwd: ROOT, maxBuffer: 1e9 })
    execFileSync('tar', ['-x', '-C', dir], { input: archive })
  } else {
    for (const part of PARTS)
      if (existsSync(join(ROOT, part)))
        cpSync(join(ROOT, part), join(dir, part), { recursive: true })
  }
  rmSync(join(dir, 'src/store/generated'), { recursive: true, force: true })
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'))
  return dir
}

/** Writes a generated newsroom into `dir` once; later calls with the same `dir` reuse it. */
export async function newsroomContent(dir: string, options: NewsroomOptions): Promise<string> {
  if (existsSync(join(dir, 'content/site.yaml'))) return dir
  const { mkdir, writeFile } = await import('node:fs/promises')
  const { dirname } = await import('node:path')
  for (const [path, text] of newsroomFiles(options)) {
    await mkdir(dirname(join(dir, path)), { recursive: true })
    await writeFile(join(dir, path), text)
  }
  return dir
}

const WRANGLER_ENV = {
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_HIDE_BANNER: 'true',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
}

/** Runs `npm run build`'s program in a copy over the content at `root`. */
export function buildIn(dir: string, root: string): void {
  execFileSync('npx', ['tsx', 'scripts/build-content.ts', '--root', root], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, XDG_CONFIG_HOME: join(dir, '.wrangler/config'), ...WRANGLER_ENV },
  })
}

/** `wrangler deploy --dry-run` in a copy: the Worker's size, raw and gzipped, in KiB. */
export function dryRunIn(dir: string, env?: string): { raw: number; gzip: number } {
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
    { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1e8 },
  )
  const match = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(out)
  if (!match) throw new Error(`no size in wrangler output:\n${out}`)
  return { raw: Number(match[1]), gzip: Number(match[2]) }
}
