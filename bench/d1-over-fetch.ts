import type { Miniflare } from 'miniflare'
import type { SqlDatabase, SqlStatement } from '../src/store/d1'

/**
 * A Worker that runs the statements it is POSTed against its D1 binding `F`: the benchmark's
 * way to D1 without Miniflare's Node proxy, whose `prepare` and `bind` are synchronous calls
 * that stop the whole Node event loop (inbox server and in-flight POSTs included) on every
 * statement, which a Worker calling D1 never does.
 */
export const D1_WORKER = `export default {
  async fetch(request, env) {
    const { op, statements } = await request.json()
    const prepared = statements.map((s) => env.F.prepare(s.sql).bind(...s.params))
    const [first] = prepared
    const result =
      op === 'batch' ? await env.F.batch(prepared)
      : op === 'first' ? await first.first()
      : op === 'all' ? await first.all()
      : await first.run()
    return Response.json(result)
  },
}`

interface Query {
  sql: string
  params: unknown[]
}

const queries = new WeakMap<SqlStatement, Query>()

/** The D1 database `F` of a Miniflare running D1_WORKER, reached by async requests only. */
export function d1OverFetch(mf: Miniflare): SqlDatabase {
  const call = async (op: string, statements: Query[]) => {
    const response = await mf.dispatchFetch('http://d1.local/', {
      method: 'POST',
      body: JSON.stringify({ op, statements }),
    })
    if (!response.ok) throw new Error(`D1 ${op} failed: ${await response.text()}`)
    return response.json()
  }
  const statement = (sql: string, params: unknown[] = []): SqlStatement => {
    const query = { sql, params }
    const prepared: SqlStatement = {
      bind: (...values) => statement(sql, values),
      first: () => call('first', [query]) as never,
      all: () => call('all', [query]) as never,
      run: () => call('run', [query]) as never,
    }
    queries.set(prepared, query)
    return prepared
  }
  return {
    prepare: (sql) => statement(sql),
    batch: (statements) =>
      call(
        'batch',
        statements.map((s) => {
          const query = queries.get(s)
          if (!query) throw new Error('a batch was given a statement not prepared here')
          return query
        }),
      ) as never,
  }
}
