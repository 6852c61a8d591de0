import { SetAsideError } from '@restaurant/platform/runtime/errors'

export interface LaneOptions {
  /** Attempts one instance makes at once to one subscription. */
  maxInFlight: number
  /** An attempt in flight longer than this makes its receiver slow: more for it are set aside, not queued. */
  slowAfterMs: number
  now?: () => number
}

interface Lane {
  started: number[]
  /** Deliveries waiting for a place, and how to wake them. */
  queued: number
  waiting: Array<() => void>
  /** The last attempt failed: one attempt at a time until one succeeds. */
  failing: boolean
}

/**
 * One lane per subscription, so that a slow or failing receiver never holds the consumer's slots that other
 * subscriptions' deliveries need. A healthy receiver's deliveries queue here briefly for one of its `maxInFlight`
 * places; one whose attempts hang, or fail, gets one at a time, and the rest are set aside to come back later.
 */
export function createSubscriptionLanes({ maxInFlight, slowAfterMs, now = Date.now }: LaneOptions) {
  const lanes = new Map<string, Lane>()
  function laneOf(id: string): Lane {
    const lane = lanes.get(id) ?? { started: [], queued: 0, waiting: [], failing: false }
    lanes.set(id, lane)
    return lane
  }

  function isBlocked(lane: Lane): boolean {
    const oldest = lane.started[0]
    return (lane.failing && lane.started.length > 0) || (oldest !== undefined && now() - oldest > slowAfterMs)
  }

  async function enter(id: string): Promise<number> {
    const lane = laneOf(id)
    while (lane.started.length >= maxInFlight || isBlocked(lane)) {
      if (isBlocked(lane)) throw new SetAsideError(`subscription ${id} is slow or failing: one attempt at a time`)
      // No more wait than run: a burst for one receiver leaves the consumer's other slots to the others.
      if (lane.queued >= maxInFlight) throw new SetAsideError(`subscription ${id} has ${maxInFlight} deliveries waiting`)
      lane.queued += 1
      await wokenOrSlow(lane)
      lane.queued -= 1
    }
    const startedAt = now()
    lane.started.push(startedAt)
    return startedAt
  }

  /** Until an attempt ends, or an attempt in flight may have become slow. */
  function wokenOrSlow(lane: Lane): Promise<void> {
    return new Promise<void>((resolve) => {
      lane.waiting.push(resolve)
      setTimeout(resolve, slowAfterMs)
    })
  }

  function leave(id: string, startedAt: number, succeeded: boolean): void {
    const lane = laneOf(id)
    lane.started.splice(lane.started.indexOf(startedAt), 1)
    lane.failing = !succeeded
    // Every waiter looks again: the lane may have become blocked, and then they are set aside at once.
    for (const wake of lane.waiting.splice(0)) wake()
    if (lane.started.length === 0 && lane.queued === 0 && !lane.failing) lanes.delete(id)
  }

  /** Runs `attempt` in the subscription's lane; `succeeded` says whether its result was a success. */
  return async function inLane<T>(id: string, attempt: () => Promise<T>, succeeded: (result: T) => boolean): Promise<T> {
    const startedAt = await enter(id)
    let result: T | undefined
    try {
      result = await attempt()
      return result
    } finally {
      leave(id, startedAt, result !== undefined && succeeded(result))
    }
  }
}
