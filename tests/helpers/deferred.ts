import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'

/**
 * An ExecutionContext (inside workerd) that keeps what deferred work threw: `waitUntil`
 * promises that reject are collected in `failures` instead of being lost, and `settle` waits
 * for all of them.
 */
export function trackedContext(): {
  ctx: ExecutionContext
  failures: unknown[]
  settle: () => Promise<void>
} {
  const inner = createExecutionContext()
  const failures: unknown[] = []
  const ctx = {
    waitUntil: (promise: Promise<unknown>) =>
      inner.waitUntil(promise.catch((error: unknown) => void failures.push(error))),
    passThroughOnException: () => inner.passThroughOnException(),
    props: inner.props,
  } as ExecutionContext
  return { ctx, failures, settle: () => waitOnExecutionContext(inner) }
}
