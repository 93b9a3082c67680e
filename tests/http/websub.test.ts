import { describe, expect, it } from 'vitest'
import { pingHub } from '../../src/http/websub'

function recorder(statuses: (number | Error)[]) {
  const calls: URLSearchParams[] = []
  const logs: string[] = []
  const fetch = (async (_url: string, init: RequestInit) => {
    calls.push(new URLSearchParams(String(init.body)))
    const next = statuses.shift() ?? 204
    if (next instanceof Error) throw next
    return new Response(null, { status: next })
  }) as typeof globalThis.fetch
  return { calls, logs, policy: { fetch, backoff: 1, log: (m: string) => logs.push(m) } }
}

describe('pingHub', () => {
  it('sends one hub.mode=publish with every topic as hub.url', async () => {
    const { calls, policy } = recorder([204])
    expect(
      await pingHub(
        'https://hub.test/',
        ['https://a.test/rss.xml', 'https://a.test/atom.xml'],
        policy,
      ),
    ).toBe(true)
    expect(calls).toHaveLength(1)
    expect(calls[0]?.get('hub.mode')).toBe('publish')
    expect(calls[0]?.getAll('hub.url')).toEqual([
      'https://a.test/rss.xml',
      'https://a.test/atom.xml',
    ])
  })

  it('retries a failing hub a bounded number of times, then logs once and gives up without throwing', async () => {
    const { calls, logs, policy } = recorder([503, new Error('connection refused'), 500, 500])
    expect(await pingHub('https://hub.test/', ['https://a.test/rss.xml'], policy)).toBe(false)
    expect(calls).toHaveLength(3)
    expect(logs).toEqual(['websub: hub https://hub.test/ was not told about 1 feeds: HTTP 500'])
  })

  it('does not retry a hub that refuses the request (4xx)', async () => {
    const { calls, policy } = recorder([400])
    expect(await pingHub('https://hub.test/', ['https://a.test/rss.xml'], policy)).toBe(false)
    expect(calls).toHaveLength(1)
  })

  it('succeeds on a retry after a network error', async () => {
    const { calls, policy } = recorder([new Error('reset'), 202])
    expect(await pingHub('https://hub.test/', ['https://a.test/rss.xml'], policy)).toBe(true)
    expect(calls).toHaveLength(2)
  })
})
