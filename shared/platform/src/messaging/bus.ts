import type { Logger } from 'pino'
import type { Static, TSchema } from 'typebox'
import type { QueueBinding, RoutingKey } from '@restaurant/contracts/messages'

/** What a handler knows of the delivery it is working on. */
export interface MessageContext {
  correlationId: string
  /**
   * True when the message may have been handled before: a redelivery, a retry, a replayed dead letter, a
   * message back from being set aside, or another attempt once a dependency came back. The handler then
   * resumes from what it stored rather than take the message for a new one.
   */
  resumes: boolean
  /** Aborted when the delivery can no longer be settled (its channel closed) or the consumer is draining. */
  signal: AbortSignal
  /**
   * Aborted only when the delivery's channel closed: it can no longer be settled and the broker gives the
   * message to another consumer. Work in hand that a drain lets finish stops at this one.
   */
  channelClosed: AbortSignal
  log: Logger
}

export type MessageHandler<T> = (message: T, context: MessageContext) => Promise<void>

/** What an instance does with a broadcast: it knows the message and the correlation id it was published with. */
export type BroadcastHandler<T> = (message: T, correlationId: string) => Promise<void>

export interface SubscribeOptions {
  /**
   * Called each time the instance's queue is in place, bound and consumed: at first, and again after every
   * reconnection, so that the caller catches up on what was published while it had none (it reloads).
   * Called synchronously: start the catching up, do not await it here.
   */
  onSubscribed?: () => void
}

export interface ConsumeOptions<T> {
  /** Called once when a message has failed through every retry tier, before it is dead-lettered. */
  onGiveUp?: (message: T, context: MessageContext, err: unknown) => Promise<void>
}

/**
 * The message bus the services see. A message is validated against the consumer's schema (one that fails is
 * dead-lettered, never redelivered) and acked only after its handler resolved; a failing one goes through
 * the retry tiers, then to the dead letters; one that must wait is held, then set aside. Two adapters keep
 * this contract: RabbitMQ (rabbit-bus.ts) and in memory (memory-bus.ts), checked by one suite.
 */
export interface Bus {
  /** Resolves once the broker has confirmed the persistent message onto a queue; rejects otherwise. */
  publish(routingKey: RoutingKey, message: object, correlationId: string): Promise<void>
  consume<S extends TSchema>(binding: QueueBinding, schema: S, handler: MessageHandler<Static<S>>, options?: ConsumeOptions<Static<S>>): Promise<void>
  /**
   * Every message published from now on under `routingKey`, to this instance: on a queue of its own (exclusive,
   * server-named, deleted when its connection goes), so that every instance of a service gets each one, one at a
   * time in the order published. A message published while the instance is not subscribed (before, or between a
   * lost connection and the next) is not received: `onSubscribed` says when to catch up. A message that fails
   * the schema or whose handler throws is logged once with its correlation id and dropped: a broadcast is a
   * notice, not work. A broadcast that no instance subscribes to is refused as unroutable, as any publish is.
   */
  subscribe<S extends TSchema>(routingKey: RoutingKey, schema: S, handler: BroadcastHandler<Static<S>>, options?: SubscribeOptions): Promise<void>
  /** Throws unless connected and not blocked by the broker's flow control, saying which. */
  assertConnected(): void
  /**
   * Stops taking new deliveries (an instance's own queues go), aborts the signal of those in flight (work
   * waiting to start is handed back), then waits for the in-flight handlers to finish and settle their deliveries.
   */
  cancelConsumers(): Promise<void>
  close(): Promise<void>
}
