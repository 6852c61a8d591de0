import { setTimeout as sleep } from 'node:timers/promises'
import amqp, { type ChannelModel } from 'amqplib'
import type { Logger } from 'pino'
import type { Topology } from '@restaurant/contracts'
import { redactUrl, waitFor } from '../runtime/wait-for.js'
import type { QueuePolicy } from './queue-policy.js'
import { createPublisher, type Publisher } from './rabbit-publisher.js'
import { assertTopology } from './rabbit-topology.js'

const RECOVERY_PAUSE_MS = 1_000

export interface ConnectionOptions extends QueuePolicy {
  url: string
  topology: Topology
  log: Logger
  connectionName: string
  confirmTimeoutMs: number
  heartbeatSeconds: number
}

/** One connection's life: its publisher, and whether the broker closed it or blocks its publishes. */
export interface Session {
  connection: ChannelModel
  publisher: Publisher
  closed: boolean
  blocked: boolean
  /**
   * A channel closed on its own (a channel error, a cancelled consumer) takes the whole connection down
   * with it, to recover as one. Not while the bus closes: its channels close one by one on purpose.
   */
  closeWithChannel(): void
}

export interface RabbitConnection {
  /** The session in use; a lost one stays current, closed, until its replacement is open. */
  current(): Session
  /** Aborted once the bus closes. */
  stopped: AbortSignal
  /** Stops recovering, and waits for a recovery under way to give up. */
  stop(): Promise<void>
  close(): Promise<void>
}

/**
 * One connection to RabbitMQ that heals itself: when it is lost, it reconnects with backoff, redeclares the
 * topology and calls `onOpen` (consumers resubscribe) before the new session is in use. Publishes still
 * waiting for a confirm on the lost connection fail, so that the caller answers 503 at once.
 */
export async function openConnection(options: ConnectionOptions, onOpen: (session: Session) => Promise<void>): Promise<RabbitConnection> {
  const { log } = options
  const stopping = new AbortController()
  let recovering: Promise<void> | undefined
  let session = await open()

  async function open(): Promise<Session> {
    const connection = await connect(options, stopping.signal)
    try {
      const opened = await prepare(connection)
      if (stopping.signal.aborted) throw new Error('the bus is closing')
      return opened
    } catch (err) {
      // A half-prepared connection is never kept: it would hold channels nobody uses.
      await connection.close().catch(() => undefined)
      throw err
    }
  }

  async function prepare(connection: ChannelModel): Promise<Session> {
    const channel = await connection.createConfirmChannel()
    await assertTopology(channel, options.topology, options)
    const closeWithChannel = () => {
      if (!stopping.signal.aborted) void connection.close().catch(() => undefined)
    }
    const opened: Session = { connection, publisher: createPublisher(channel, options.confirmTimeoutMs), closed: false, blocked: false, closeWithChannel }
    watch(opened)
    channel.on('close', closeWithChannel)
    await onOpen(opened)
    log.info({ url: redactUrl(options.url) }, 'connected to RabbitMQ')
    return opened
  }

  function watch(opened: Session): void {
    const { connection } = opened
    connection.on('error', (err: Error) => log.warn({ err }, 'RabbitMQ connection error'))
    connection.on('close', (err?: Error) => {
      opened.closed = true
      recover(opened, err)
    })
    connection.on('blocked', (reason: string) => {
      opened.blocked = true
      log.warn({ reason }, 'RabbitMQ blocked publishing (flow control); shedding new orders')
    })
    connection.on('unblocked', () => (opened.blocked = false))
  }

  /** Reconnects until it succeeds or the bus closes; one recovery at a time. */
  function recover(lost: Session, err: Error | undefined): void {
    lost.publisher.failPending('the connection to the broker was lost')
    if (stopping.signal.aborted || lost !== session || recovering) return
    log.error({ err }, 'lost the connection to RabbitMQ; reconnecting')
    recovering = reconnect().finally(() => (recovering = undefined))
  }

  async function reconnect(): Promise<void> {
    while (!stopping.signal.aborted) {
      try {
        session = await open()
        // Lost again before it was in use: its close found it was not the current session yet.
        if (session.closed) continue
        log.info('recovered the connection to RabbitMQ; consumers resubscribed')
        return
      } catch (openErr) {
        if (stopping.signal.aborted) return
        log.error({ err: openErr }, 'could not recover the connection to RabbitMQ; trying again')
        await sleep(RECOVERY_PAUSE_MS)
      }
    }
  }

  return {
    current: () => session,
    stopped: stopping.signal,
    async stop() {
      stopping.abort()
      await recovering
    },
    close: () => session.connection.close().catch(() => undefined),
  }
}

function connect(options: ConnectionOptions, signal: AbortSignal): Promise<ChannelModel> {
  const url = new URL(options.url)
  if (!url.searchParams.has('heartbeat')) url.searchParams.set('heartbeat', String(options.heartbeatSeconds))
  return waitFor(() => amqp.connect(url.toString(), { clientProperties: { connection_name: options.connectionName } }), {
    what: `RabbitMQ at ${redactUrl(options.url)}`,
    hint: 'start it with `rabbitmq-server -detached` (or `docker compose up -d rabbitmq`)',
    log: options.log,
    signal,
  })
}
