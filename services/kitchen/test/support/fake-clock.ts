import type { Clock } from '../../src/use-cases/ports.js'

/** A clock that moves only when told to: sleeps end in time order as it passes them, or reject on abort. */
export function createFakeClock(): Clock & { advance(ms: number): Promise<void> } {
  let current = 0
  const sleepers = new Set<{ until: number; wake(): void }>()
  // Lets what woke run to its next wait: a few turns of the loop, as the stores commit writes a turn after they are asked.
  const flush = async () => {
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve))
  }
  const nextDue = (target: number) =>
    [...sleepers].filter((sleeper) => sleeper.until <= target).sort((a, b) => a.until - b.until)[0]
  return {
    now: () => current,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        const sleeper = { until: current + ms, wake: resolve }
        const abort = () => {
          sleepers.delete(sleeper)
          reject(signal.reason)
        }
        if (signal.aborted) return abort()
        if (ms <= 0) return resolve()
        signal.addEventListener('abort', abort, { once: true })
        sleepers.add(sleeper)
      }),
    async advance(ms) {
      const target = current + ms
      await flush()
      for (let due = nextDue(target); due; due = nextDue(target)) {
        current = due.until
        sleepers.delete(due)
        due.wake()
        await flush()
      }
      current = target
      await flush()
    },
  }
}
