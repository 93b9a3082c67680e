/**
 * The Workers Cache API (`caches.default`) for the app run in Node: a map of responses by URL,
 * as the edge cache of one data centre would hold them. Entries are keyed by revision, so an
 * old one is simply never asked for again; nothing expires within a simulated day.
 */
export function installEdgeCache(): void {
  const entries = new Map<string, { body: ArrayBuffer; headers: [string, string][] }>()
  const cache = {
    async match(request: Request): Promise<Response | undefined> {
      const entry = entries.get(request.url)
      return entry && new Response(entry.body.slice(0), { headers: entry.headers })
    },
    async put(request: Request, response: Response): Promise<void> {
      entries.set(request.url, {
        body: await response.arrayBuffer(),
        headers: [...response.headers],
      })
    },
  }
  Object.assign(globalThis, { caches: { default: cache } })
}
