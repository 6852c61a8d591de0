import { setTimeout as sleep } from 'node:timers/promises'

/** Where the delivery reads the time and waits: real time, or time scaled down so that tests run fast. */
export interface Timer {
  now(): number
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export const realTimer: Timer = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleep(ms, undefined, { signal }),
}

/** Time that passes `1 / scale` times faster: with 0.01, a 1 s wait takes 10 ms and reads as 1 s. */
export function scaledTimer(scale: number): Timer {
  const origin = Date.now()
  return {
    now: () => origin + (Date.now() - origin) / scale,
    sleep: (ms, signal) => sleep(ms * scale, undefined, { signal }),
  }
}
