import { unstable_startWorker } from 'wrangler'

/** The real Worker in workerd, on a free port of 127.0.0.1, as `npm start` runs it. */
export interface RunningWorker {
  url: URL
  get(path: string, init?: RequestInit): Promise<Response>
  dispose(): Promise<void>
}

/** Starts the Worker from wrangler.toml (the bundled store must already be built). */
export async function startWorker(): Promise<RunningWorker> {
  process.env.WRANGLER_SEND_METRICS = 'false'
  process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false'
  const worker = await unstable_startWorker({
    config: 'wrangler.toml',
    dev: { server: { hostname: '127.0.0.1', port: 0 }, inspector: false, logLevel: 'error' },
  })
  const url = await worker.url
  return {
    url,
    get: (path, init) => fetch(new URL(path, url), init),
    dispose: () => worker.dispose(),
  }
}
