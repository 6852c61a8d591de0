import createError from '@fastify/error'

/** Errors are coded constants; the HTTP layer turns their status and code into problem details. */

export const BrokerUnavailableError = createError('BROKER_UNAVAILABLE', 'The order could not be made durable: %s', 503)
export const BrokerBusyError = createError('BROKER_BUSY', 'Too many orders are waiting for the broker; try again shortly', 503)
export const UnroutableMessageError = createError('UNROUTABLE_MESSAGE', 'No queue is bound for routing key %s', 503)
/** Thrown by a handler to give its message back to the queue untouched, for this or another consumer. */
export const HandBackError = createError('HAND_BACK', 'Handed back to the queue: %s', 503)
/**
 * A dependency the work needs (Redis, the ticket store) is out of reach: not the message's fault. A consumer
 * waits for it and tries again rather than spend the message's retries on it.
 */
export const DependencyUnavailableError = createError('DEPENDENCY_UNAVAILABLE', '%s is out of reach; try again shortly', 503)
/** Thrown by a handler whose message must wait longer than a delivery may be held: it comes back later. */
export const SetAsideError = createError('SET_ASIDE', 'Set aside to come back later: %s', 503)
/** Thrown by a handler whose message has failed for good (its own retries spent): dead-lettered now, not retried. */
export const GiveUpError = createError('GIVE_UP', 'Given up: %s', 500)
/**
 * Someone else holds the work the message asks for (another kitchen's live claim on the order): not a failure.
 * A consumer waits and tries again, after `retryAfterMs` when the holder's lease says when it may end.
 */
export const HeldElsewhereError = createError<[string]>('HELD_ELSEWHERE', 'Being handled elsewhere: %s', 409)

/** Whether the work must wait and be tried again rather than fail: a dependency is away, or someone else holds it. */
export function mustWait(err: unknown): boolean {
  return err instanceof DependencyUnavailableError || err instanceof HeldElsewhereError
}

/** How long the error says to wait before trying again, when it says. */
export function retryAfterOf(err: unknown): number | undefined {
  const value = typeof err === 'object' && err !== null && 'retryAfterMs' in err ? err.retryAfterMs : undefined
  return typeof value === 'number' && value >= 0 ? value : undefined
}
