/** How often and how patiently a hub is told about new content. */
export interface PingPolicy {
  attempts: number
  /** Milliseconds before the second attempt; doubled for each further one. */
  backoff: number
  fetch: typeof fetch
  log(message: string): void
}

const DEFAULT_POLICY: PingPolicy = {
  attempts: 3,
  backoff: 500,
  fetch: (input, init) => fetch(input, init),
  log: (message) => console.warn(message),
}

/**
 * Tells a WebSub hub that topics changed (WebSub §7: `hub.mode=publish`, one `hub.url` per
 * topic, as the common hubs accept). A bounded number of attempts with backoff; a hub that
 * keeps failing is logged once and never fails the publish that triggered it.
 */
export async function pingHub(
  hub: string,
  topics: readonly string[],
  policy: Partial<PingPolicy> = {},
): Promise<boolean> {
  const { attempts, backoff, fetch: send, log } = { ...DEFAULT_POLICY, ...policy }
  if (topics.length === 0) return true
  const body = new URLSearchParams([
    ['hub.mode', 'publish'],
    ...topics.map((url): [string, string] => ['hub.url', url]),
  ])
  let failure = ''
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0)
      await new Promise((resolve) => setTimeout(resolve, backoff * 2 ** (attempt - 1)))
    try {
      const response = await send(hub, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      })
      await response.body?.cancel()
      if (response.ok) return true
      failure = `HTTP ${response.status}`
      if (response.status < 500 && response.status !== 429) break
    } catch (error) {
      // A network failure is retried like a 5xx; its message is what the log should say.
      failure = error instanceof Error ? error.message : String(error)
    }
  }
  log(`websub: hub ${hub} was not told about ${topics.length} feeds: ${failure}`)
  return false
}

/** WebSub §4: the hub and self links of a feed, as an HTTP `Link` header (when there is a hub). */
export function webSubHeaders(hub: string | undefined, selfUrl: string): Record<string, string> {
  return hub ? { link: `<${hub}>; rel="hub", <${selfUrl}>; rel="self"` } : {}
}
