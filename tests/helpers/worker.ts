import { unstable_startWorker } from 'wrangler'

/** The real Worker in workerd, on a free port of 127.0.0.1, as `npm start` runs it. */
export interface RunningWorker {
  url: URL
  get(path: string, init?: RequestInit): Promise<Response>
  dispose(): Promise<void>
}

/** How to start it: an environment of wrangler.toml, extra variables, where local state lives. */
export interface WorkerOptions {
  /** wrangler.toml of another tree (a copy of the project); this project's by default. */
  config?: string
  env?: string
  vars?: Record<string, string>
  persist?: string
}

/** Starts the Worker from wrangler.toml (the bundled store must already be built). */
export async function startWorker(options: WorkerOptions = {}): Promise<RunningWorker> {
  process.env.WRANGLER_SEND_METRICS = 'false'
  process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false'
  const bindings = Object.fromEntries(
    Object.entries(options.vars ?? {}).map(([name, value]) => [
      name,
      { type: 'plain_text' as const, value },
    ]),
  )
  const worker = await unstable_startWorker({
    config: options.config ?? 'wrangler.toml',
    ...(options.env ? { env: options.env } : {}),
    bindings,
    envFiles: [],
    dev: {
      server: { hostname: '127.0.0.1', port: 0 },
      inspector: false,
      logLevel: 'error',
      ...(options.persist ? { persist: options.persist } : {}),
    },
  })
  const url = await worker.url
  return {
    url,
    get: (path, init) => fetch(new URL(path, url), init),
    dispose: () => worker.dispose(),
  }
}
