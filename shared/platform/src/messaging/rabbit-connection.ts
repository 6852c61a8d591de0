import { setTimeout as sleep } from 'node:timers/promises'
import { memberRotation } from './broker-members.js'
import { openSession, type ConnectionOptions, type Opening, type Session } from './rabbit-session.js'

const RECOVERY_PAUSE_MS = 1_000

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
 * The session in use and the recovery under way, if any: changed only by `recover` and `reconnect`. No session
 * until the first one is open: one lost while it opens is no loss to recover from, as its opening fails.
 */
interface Healing {
  opening: Opening
  session?: Session
  recovering?: Promise<void>
}

/**
 * One connection to RabbitMQ that heals itself: when it is lost, it reconnects with backoff, to the broker's
 * next member first (broker-members.ts), redeclares the topology and calls `onOpen` (consumers resubscribe)
 * before the new session is in use (rabbit-session.ts).
 * Publishes still waiting for a confirm on the lost connection fail, so that the caller answers 503 at once.
 */
export async function openConnection(options: ConnectionOptions, onOpen: (session: Session) => Promise<void>): Promise<RabbitConnection> {
  const stopping = new AbortController()
  const members = memberRotation(options.urls)
  const healing: Healing = { opening: { options, stopping: stopping.signal, onOpen, onLost: (lost, err) => recover(healing, lost, err), members } }
  const first = await openSession(healing.opening)
  healing.session = first
  // Lost while it opened, before it was the session in use: its loss was not recovered from then.
  if (first.closed) recover(healing, first, undefined)
  const current = () => healing.session ?? first
  return {
    current,
    stopped: stopping.signal,
    async stop() {
      stopping.abort()
      await healing.recovering
    },
    close: () => current().connection.close().catch(() => undefined),
  }
}

/** Reconnects until it succeeds or the bus closes; one recovery at a time. */
function recover(healing: Healing, lost: Session, err: Error | undefined): void {
  lost.publisher.failPending('the connection to the broker was lost')
  if (healing.opening.stopping.aborted || lost !== healing.session || healing.recovering) return
  healing.opening.options.log.error({ err }, 'lost the connection to RabbitMQ; reconnecting')
  healing.recovering = reconnect(healing).finally(() => (healing.recovering = undefined))
}

async function reconnect(healing: Healing): Promise<void> {
  const { stopping, options } = healing.opening
  while (!stopping.aborted) {
    try {
      healing.session = await openSession(healing.opening)
      // Lost again before it was in use: its close found it was not the current session yet.
      if (healing.session.closed) continue
      options.log.info('recovered the connection to RabbitMQ; consumers resubscribed')
      return
    } catch (openErr) {
      if (stopping.aborted) return
      options.log.error({ err: openErr }, 'could not recover the connection to RabbitMQ; trying again')
      await sleep(RECOVERY_PAUSE_MS)
    }
  }
}
