import { spawn } from 'node:child_process'

/** How to start `wrangler dev`: where, on which port, which entry, variables and options. */
export interface DevOptions {
  port: number
  /** The project tree to run in (a copy of the project); this one by default. */
  cwd?: string
  /** A Worker entry in place of wrangler.toml's `main` (the benchmark's floor Worker). */
  main?: string
  /** `NAME:value` pairs, each passed as `--var`. */
  vars?: readonly string[]
  /** Further wrangler options. */
  args?: readonly string[]
  /** Opens workerd's inspector on `port + 1`. */
  inspector?: boolean
}

/** A running `wrangler dev`. */
export interface DevServer {
  origin: string
  /** The inspector's WebSocket URL (when started with `inspector`). */
  inspector: string
  stop(): Promise<void>
}

// wrangler dev builds and boots workerd before it answers; on a loaded machine that takes a while.
const START_TIMEOUT_MS = 120_000

/**
 * Starts `wrangler dev` on 127.0.0.1 through scripts/wrangler.sh (offline, config under
 * .wrangler/) and resolves once `/rss.xml` answers 200; throws naming the port if it never does.
 */
export async function startDev(options: DevOptions): Promise<DevServer> {
  const { port, cwd = process.cwd(), vars = [], args = [] } = options
  const child = spawn(
    'sh',
    [
      'scripts/wrangler.sh',
      'dev',
      ...(options.main ? [options.main] : []),
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      ...(options.inspector ? ['--inspector-port', String(port + 1)] : []),
      ...vars.flatMap((v) => ['--var', v]),
      ...args,
      '--log-level',
      'error',
    ],
    { cwd, stdio: 'ignore', detached: true },
  )
  const origin = `http://127.0.0.1:${port}`
  const stop = async () => {
    if (child.pid) process.kill(-child.pid, 'SIGINT')
    await new Promise((resolve) => setTimeout(resolve, 1500))
  }
  const until = Date.now() + START_TIMEOUT_MS
  while (Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 250))
    const ok = await fetch(`${origin}/rss.xml`).then(
      async (r) => {
        await r.arrayBuffer()
        return r.ok
      },
      () => false,
    )
    if (ok) return { origin, inspector: `ws://127.0.0.1:${port + 1}/ws`, stop }
  }
  await stop()
  throw new Error(`wrangler dev in ${cwd} on port ${port} did not answer /rss.xml 200`)
}
