import type { Timer } from '../../src/messaging/timer.js'

/** A timer whose sleeps return at once and move its clock on by what was asked; it keeps each pause. */
export function fakeTimer(): Timer & { slept: number[] } {
  let clock = 0
  const slept: number[] = []
  return {
    slept,
    now: () => clock,
    async sleep(ms, signal) {
      signal?.throwIfAborted()
      slept.push(ms)
      clock += ms
    },
  }
}
