export interface QueuePolicy {
  /** Deliveries of one message (crash loops included) before the broker dead-letters it. */
  deliveryLimit: number
  /** Delays of the retry tiers a failed message waits in before it goes back to its queue. */
  retryDelaysMs: readonly number[]
  /** How long a message set aside (one that must wait longer than a delivery may be held) waits before it comes back. */
  setAsideMs: number
}

/** The queue a failed message waits in for `delayMs` before the broker sends it back to `queue`. */
export function retryQueueFor(queue: string, delayMs: number): string {
  return `${queue}.retry.${delayMs}ms`
}

/**
 * The queue a message set aside waits in for `delayMs` before it comes back to `queue`: apart from the retry
 * tiers, since waiting is not failing (it spends none of the message's retries, nor its delivery limit).
 */
export function setAsideQueueFor(queue: string, delayMs: number): string {
  return `${queue}.set-aside.${delayMs}ms`
}

/** The queues whose messages expire back into `queue`: the retry tiers, then the set-aside queue. */
export function delayQueuesFor(queue: string, policy: Pick<QueuePolicy, 'retryDelaysMs' | 'setAsideMs'>) {
  return [
    ...policy.retryDelaysMs.map((delayMs) => ({ name: retryQueueFor(queue, delayMs), delayMs, role: 'retry' as const })),
    { name: setAsideQueueFor(queue, policy.setAsideMs), delayMs: policy.setAsideMs, role: 'set_aside' as const },
  ]
}
