import type { Logger } from 'pino'
import type { Compile } from 'typebox/compile'
import type { RoutingKey } from '@restaurant/contracts/messages'
import { inSpan, SpanKind, traceContextOf } from '../runtime/tracing.js'
import type { BroadcastHandler, SubscribeOptions } from './bus.js'
import { correlationIdOf, parse, type Inbound } from './delivery.js'

/** One subscription to a broadcast, as both adapters keep it. */
export interface BroadcastSpec<T> extends SubscribeOptions {
  routingKey: RoutingKey
  check: ReturnType<typeof Compile>
  handler: BroadcastHandler<T>
}

/**
 * How an instance handles the broadcasts on its own queue: one at a time, in the order they came (a read model
 * applying versions must not see them overtake each other), each acked once its handler settled. One that fails
 * the schema or whose handler throws is logged and dropped, never redelivered: the queue has no retry tiers nor
 * dead letters, and the instance catches up by reloading.
 */
export function createBroadcastDelivery<T>(spec: BroadcastSpec<T>, { log, system }: { log: Logger; system: string }) {
  let previous = Promise.resolve()
  return function deliver(inbound: Inbound): Promise<void> {
    const attributes = { 'messaging.system': system, 'messaging.destination.name': spec.routingKey, 'messaging.message.id': String(inbound.messageId) }
    const handled = () => inSpan(`process ${spec.routingKey}`, { kind: SpanKind.CONSUMER, attributes, parent: traceContextOf(inbound.headers) }, () => handle(inbound, spec, log))
    previous = previous.then(handled)
    return previous
  }
}

async function handle<T>(inbound: Inbound, { routingKey, check, handler }: BroadcastSpec<T>, log: Logger): Promise<void> {
  const correlationId = correlationIdOf(inbound)
  const context = log.child({ reqId: correlationId, routingKey })
  const message = parse(inbound.content, check)
  try {
    if (message === undefined) context.error({ bytes: inbound.content.length }, 'malformed broadcast dropped')
    else await handler(message as T, correlationId)
  } catch (err) {
    context.error({ err }, 'broadcast handler failed; message dropped')
  }
  try {
    inbound.ack()
  } catch {
    // Its channel closed: the instance's queue went with its connection, and the message with it.
  }
}

/** Tells the subscriber its queue is in place; its catching up must not take the bus's connection down with it. */
export function subscribedNotice({ routingKey, onSubscribed }: Pick<BroadcastSpec<unknown>, 'routingKey' | 'onSubscribed'>, log: Logger): () => void {
  return () => {
    try {
      onSubscribed?.()
    } catch (err) {
      log.error({ err, routingKey }, 'onSubscribed failed')
    }
  }
}
