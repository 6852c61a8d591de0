import amqp, { type ChannelModel } from 'amqplib'
import type { Logger } from 'pino'
import type { Topology } from '@restaurant/contracts/messages'
import { redactUrl, waitFor } from '../runtime/wait-for.js'
import type { MemberConnection, MemberRotation } from './broker-members.js'
import type { QueuePolicy } from './queue-policy.js'
import { createPublisher, type Publisher } from './rabbit-publisher.js'
import { assertTopology } from './rabbit-topology.js'

export interface ConnectionOptions extends QueuePolicy {
  /** The broker's members: one URL, or one per member of a cluster, tried in turn (broker-members.ts). */
  urls: readonly string[]
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

/** What opening a session needs, and whom it tells once the session is open and once it is lost. */
export interface Opening {
  options: ConnectionOptions
  /** Aborted once the bus closes: nothing is opened any more. */
  stopping: AbortSignal
  onOpen: (session: Session) => Promise<void>
  onLost: (session: Session, err: Error | undefined) => void
  /** Which member the next connection tries first. */
  members: MemberRotation
}

/** A connection with the topology declared, a confirmed publisher and `onOpen` done, watched for its loss. */
export async function openSession(opening: Opening): Promise<Session> {
  const member = await connect(opening)
  const { connection } = member
  try {
    const opened = await prepare(member, opening)
    if (opening.stopping.aborted) throw new Error('the bus is closing')
    return opened
  } catch (err) {
    // A half-prepared connection is never kept: it would hold channels nobody uses.
    await connection.close().catch(() => undefined)
    throw err
  }
}

async function prepare({ connection, url, refusedBy }: MemberConnection<ChannelModel>, { options, stopping, onOpen, onLost }: Opening): Promise<Session> {
  const channel = await connection.createConfirmChannel()
  await assertTopology(channel, options.topology, options)
  const closeWithChannel = () => {
    if (!stopping.aborted) void connection.close().catch(() => undefined)
  }
  const opened: Session = { connection, publisher: createPublisher(channel, options.confirmTimeoutMs), closed: false, blocked: false, closeWithChannel }
  watch(opened, options.log, onLost)
  channel.on('close', closeWithChannel)
  await onOpen(opened)
  options.log.info({ member: redactUrl(url), refusedBy }, 'connected to RabbitMQ')
  return opened
}

function watch(session: Session, log: Logger, onLost: Opening['onLost']): void {
  const { connection } = session
  connection.on('error', (err: Error) => log.warn({ err }, 'RabbitMQ connection error'))
  connection.on('close', (err?: Error) => {
    session.closed = true
    onLost(session, err)
  })
  connection.on('blocked', (reason: string) => {
    session.blocked = true
    log.warn({ reason }, 'RabbitMQ blocked publishing (flow control); shedding new orders')
  })
  connection.on('unblocked', () => (session.blocked = false))
}

function connect({ options, stopping, members }: Opening): Promise<MemberConnection<ChannelModel>> {
  // amqplib leaves Nagle's algorithm on: a publish or ack sent while an earlier frame is unacknowledged would wait
  // for the broker's delayed ACK (up to 40 ms on Linux) before leaving.
  const socketOptions = { clientProperties: { connection_name: options.connectionName }, noDelay: true }
  return waitFor(() => members.connectInTurn((url) => amqp.connect(withHeartbeat(url, options.heartbeatSeconds), socketOptions)), {
    what: `RabbitMQ at ${options.urls.map(redactUrl).join(',')}`,
    hint: 'start it with `rabbitmq-server -detached` (or `docker compose up -d rabbitmq`)',
    log: options.log,
    signal: stopping,
  })
}

function withHeartbeat(member: string, heartbeatSeconds: number): string {
  const url = new URL(member)
  if (!url.searchParams.has('heartbeat')) url.searchParams.set('heartbeat', String(heartbeatSeconds))
  return url.toString()
}
