import type { SqlDatabase, SqlStatement } from '../src/store/d1'

/** `value` as an SQLite literal. */
export function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL'
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'NULL'
  // One statement per line: line breaks inside a string leave the literal as char() calls.
  const quoted = `'${String(value).replaceAll("'", "''")}'`
  return quoted.replaceAll('\r', "' || char(13) || '").replaceAll('\n', "' || char(10) || '")
}

// Binds positional `?` parameters as SQL literals, skipping those inside quoted strings.
function inline(query: string, values: unknown[]): string {
  let index = 0
  let out = ''
  let quoted = false
  for (const char of query) {
    if (char === "'") quoted = !quoted
    out += char === '?' && !quoted ? literal(values[index++]) : char
  }
  if (index !== values.length)
    throw new Error(`bound ${values.length} values to ${index} parameters in: ${query}`)
  return out
}

/**
 * A SqlDatabase that runs nothing: it writes every statement as SQL text, so the import runs
 * exactly the statements the publish API runs, through `wrangler d1 execute --file`.
 */
export class SqlRecorder implements SqlDatabase {
  readonly statements: string[] = []

  prepare(query: string): SqlStatement {
    const statement = (values: unknown[]): SqlStatement & { sql: string } => ({
      get sql() {
        return inline(query.replace(/\s+/g, ' ').trim(), values)
      },
      bind: (...more: unknown[]) => statement([...values, ...more]),
      first: async () => null,
      all: async () => ({ results: [] }),
      run: async () => {
        this.statements.push(`${statement(values).sql};`)
        return { meta: { changes: 1 } }
      },
    })
    return statement([])
  }

  async batch<T>(
    statements: SqlStatement[],
  ): Promise<{ results: T[]; meta: { changes: number } }[]> {
    for (const s of statements)
      this.statements.push(`${(s as SqlStatement & { sql: string }).sql};`)
    return statements.map(() => ({ results: [], meta: { changes: 1 } }))
  }
}
