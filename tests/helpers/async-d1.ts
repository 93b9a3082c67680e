import type { Miniflare } from 'miniflare'
import type { SqlDatabase, SqlStatement } from '../../src/store/d1'

/**
 * The Worker a Miniflare instance runs for `asyncD1`: it runs the statements a request names on
 * the D1 binding it names, and answers their results as JSON (an error: 500 and its message).
 */
export const D1_RUNNER = `export default {
  async fetch(request, env) {
    const { binding, mode, statements } = await request.json()
    const db = env[binding]
    try {
      const prepared = statements.map((s) => db.prepare(s.query).bind(...s.params))
      if (mode === 'batch') return Response.json(await db.batch(prepared))
      const [statement] = prepared
      if (mode === 'first') return Response.json({ row: await statement.first() })
      return Response.json(mode === 'all' ? await statement.all() : await statement.run())
    } catch (error) {
      return Response.json({ error: String(error && error.message ? error.message : error) }, { status: 500 })
    }
  },
}`

interface Sent {
  query: string
  params: unknown[]
}

/**
 * A D1 binding of `mf` (whose script is D1_RUNNER) as the app's SqlDatabase, every call an
 * asynchronous request. Miniflare's own proxy (`getD1Database`) makes `prepare` and `bind`
 * synchronous calls to another thread, and under load one of them can read a reply that is not
 * there yet (an assertion in Miniflare's SynchronousFetcher), after which every call fails.
 */
export function asyncD1(mf: Miniflare, binding: string): SqlDatabase {
  const send = async (mode: string, statements: Sent[]): Promise<unknown> => {
    const response = await mf.dispatchFetch('http://d1.local/', {
      method: 'POST',
      body: JSON.stringify({ binding, mode, statements }),
    })
    const answer = (await response.json()) as { error?: string }
    if (response.status !== 200) throw new Error(answer.error ?? `D1 answered ${response.status}`)
    return answer
  }
  const statement = (sent: Sent): SqlStatement & { sent: Sent } => ({
    sent,
    bind: (...params) => {
      // As D1 does: JSON would quietly make it null.
      if (params.includes(undefined))
        throw new Error("D1_TYPE_ERROR: Type 'undefined' not supported")
      return statement({ query: sent.query, params })
    },
    first: async <T>() => ((await send('first', [sent])) as { row: T | null }).row,
    all: async <T>() => (await send('all', [sent])) as { results: T[] },
    run: async () => (await send('run', [sent])) as { meta: { changes: number } },
  })
  return {
    prepare: (query) => statement({ query, params: [] }),
    batch: async <T>(statements: SqlStatement[]) =>
      (await send(
        'batch',
        statements.map((s) => (s as SqlStatement & { sent: Sent }).sent),
      )) as { results: T[]; meta: { changes: number } }[],
  }
}
