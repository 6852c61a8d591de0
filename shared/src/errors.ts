import createError from '@fastify/error'

/** Errors are coded constants; the HTTP layer turns their status and code into problem details. */

export const BrokerUnavailableError = createError('BROKER_UNAVAILABLE', 'The order could not be made durable: %s', 503)
export const BrokerBusyError = createError('BROKER_BUSY', 'Too many orders are waiting for the broker; try again shortly', 503)
export const UnroutableMessageError = createError('UNROUTABLE_MESSAGE', 'No queue is bound for routing key %s', 503)
/** Thrown by a handler to give its message back to the queue untouched, for this or another consumer. */
export const HandBackError = createError('HAND_BACK', 'Handed back to the queue: %s', 503)
