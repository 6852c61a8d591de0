import { mustWait, retryAfterOf } from '../runtime/errors.js'
import type { BusMetrics } from '../runtime/metrics.js'
import type { MessageContext } from './bus.js'
import type { Timer } from './timer.js'

const MIN_PAUSE_MS = 250
const MAX_PAUSE_MS = 5_000

export interface Waiting {
  queue: string
  /** Longest the delivery may be held. */
  maxHoldMs: number
  timer: Timer
  metrics?: BusMetrics
}

/**
 * Runs the work again, with backoff, while it must only wait (a dependency is away, or another holds the
 * work), for as long as the delivery may be held; every run after the first resumes. An error that says
 * when to try again shortens the pause. Logged once when the wait starts and once when it ends.
 * (Not p-retry: its signal also fails a run that succeeded meanwhile, and a handled message is acked.)
 */
export async function waitingOutOutages(work: (context: MessageContext) => Promise<void>, context: MessageContext, { queue, maxHoldMs, timer, metrics }: Waiting): Promise<void> {
  const deadline = timer.now() + maxHoldMs
  let waitingSince: number | undefined
  try {
    for (let attempt = 1, pauseMs = MIN_PAUSE_MS; ; attempt++, pauseMs = Math.min(pauseMs * 2, MAX_PAUSE_MS)) {
      try {
        return await work(attempt === 1 ? context : { ...context, resumes: true })
      } catch (err) {
        // Between half the pause and all of it, so that the deliveries waiting for one dependency spread out.
        const jittered = Math.min(pauseMs, retryAfterOf(err) ?? Infinity) * (0.5 + Math.random() / 2)
        if (!mustWait(err) || context.signal.aborted || timer.now() + jittered > deadline) throw err
        if (waitingSince === undefined) {
          waitingSince = timer.now()
          metrics?.waiting.inc({ queue })
          context.log.warn({ err }, 'waiting before handling the message again')
        }
        await timer.sleep(jittered, context.signal).catch(() => Promise.reject(err))
      }
    }
  } finally {
    if (waitingSince !== undefined) {
      metrics?.waiting.dec({ queue })
      context.log.info({ waitedMs: timer.now() - waitingSince }, 'stopped waiting')
    }
  }
}
