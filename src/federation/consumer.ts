import type { DeliveryMessage } from './delivery'
import { backoffSeconds, CLAIM_MS, deliver } from './delivery'
import { type FederationBindings, federationOf } from './env'

/** A queue message as the consumer sees it (Cloudflare Queues' `Message`). */
interface QueueMessage {
  body: DeliveryMessage
  attempts: number
  ack(): void
  retry(options?: { delaySeconds?: number }): void
}

/** Deliveries sent at once: Workers allow six simultaneous open connections per invocation. */
export const CONCURRENCY = 6

/**
 * The queue consumer: each message is signed and POSTed to its inbox; a failure worth
 * retrying goes back to the queue with a growing delay, the rest are acknowledged.
 */
export async function consumeDeliveries(
  batch: { messages: readonly QueueMessage[] },
  env: FederationBindings,
  now: number,
): Promise<void> {
  const fed = federationOf(env)
  if (!fed) throw new Error('federation deliveries need the FEDERATION database and queue')
  const pending = [...batch.messages]
  const worker = async () => {
    for (let message = pending.shift(); message; message = pending.shift()) {
      const outcome = await deliver(fed.db, message.body, message.attempts, {
        now,
        development: fed.development,
      })
      if (outcome === 'retry') message.retry({ delaySeconds: backoffSeconds(message.attempts) })
      else if (outcome === 'held') message.retry({ delaySeconds: CLAIM_MS / 1000 })
      else message.ack()
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
}
