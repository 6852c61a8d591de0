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
