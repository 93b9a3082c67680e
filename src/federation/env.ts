import type { SqlDatabase } from '../store/d1'
import type { DeliveryMessage } from './delivery'
import { SEND_BATCH } from './delivery'

/** What federation needs from the Worker's bindings; absent, federation is off. */
export interface FederationEnv {
  db: SqlDatabase
  /** Sends deliveries through the Queue, in batches it accepts. */
  send(messages: DeliveryMessage[]): Promise<void>
  /** `FEDERATION_DEV=1`: remote documents may come from http and private addresses. */
  development: boolean
}

/** What deliveries need of a Queue binding: sending a batch. */
export interface DeliveryQueue {
  sendBatch(messages: { body: DeliveryMessage }[]): Promise<unknown>
}

/** The Worker bindings federation reads. */
export interface FederationBindings {
  FEDERATION?: SqlDatabase
  FEDERATION_QUEUE?: DeliveryQueue
  FEDERATION_DEV?: string
}

/** Federation's bindings (`FEDERATION` D1, `FEDERATION_QUEUE`), or undefined when it is off. */
export function federationOf(env: FederationBindings): FederationEnv | undefined {
  const db = env.FEDERATION
  const queue = env.FEDERATION_QUEUE
  if (!db || !queue) return undefined
  return {
    db,
    development: env.FEDERATION_DEV === '1',
    async send(messages) {
      for (let i = 0; i < messages.length; i += SEND_BATCH)
        await queue.sendBatch(messages.slice(i, i + SEND_BATCH).map((body) => ({ body })))
    },
  }
}
