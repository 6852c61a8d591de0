import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { lessIdle, perUnit, type CounterWindow, type Tally } from './counter-deltas.js'
import { cpuSecondsByName } from './cpu-meter.js'
import type { GatewayTarget } from './gateway-alone-figures.js'
import type { Running } from './gateway-alone-targets.js'
import type { LoadOutcome } from './open-loop.js'
import { startOrderLoad } from './order-load.js'
import type { Watched } from './rss.js'

/** One target at one fixed rate: what the load generator saw, and CPU per answered request. */
export interface GatewayRun {
  target: GatewayTarget
  ratePerSecond: number
  load: LoadOutcome
  /** CPU ms per 202 answer, idle subtracted: `hop` (the target's process), `stub`, `redis` and `load generator`. */
  cpuMsPerRequest: Tally
}

export interface GatewayRunContext {
  stub: Watched
  redis: Watched
  /** Every process's CPU over the round's quiet window, by name (each target under its own). */
  idle: CounterWindow
  warmUpSeconds: number
  seconds: number
}

function windowOver(watched: readonly Watched[]) {
  const start = { at: performance.now(), cpu: cpuSecondsByName(watched) }
  return (): CounterWindow => ({ before: start.cpu, after: cpuSecondsByName(watched), seconds: (performance.now() - start.at) / 1000 })
}

/** Every process's CPU over `seconds` with no load: the background subtracted from the round's runs. */
export async function quietWindow(watched: readonly Watched[], seconds: number): Promise<CounterWindow> {
  const close = windowOver(watched)
  await sleep(seconds * 1000)
  return close()
}

/** The quiet window's counters with the target's own renamed `hop`, as its runs name it. */
export function idleOfTarget(idle: CounterWindow, target: string): CounterWindow {
  const rename = (tally: Tally): Tally => Object.fromEntries(Object.entries(tally).map(([name, value]) => [name === target ? 'hop' : name, value]))
  return { before: rename(idle.before), after: rename(idle.after), seconds: idle.seconds }
}

/**
 * One run of `POST /api/orders` through `target` at `ratePerSecond`, open loop, from the fixed-rate load generator
 * (a process of its own): after its warm-up, the window opens; it closes once every request of the run is answered.
 */
export async function measureTargetAtRate(target: Running & { name: GatewayTarget }, ratePerSecond: number, context: GatewayRunContext): Promise<GatewayRun> {
  const load = startOrderLoad({ gatewayUrl: target.url, ratePerSecond, warmUpSeconds: context.warmUpSeconds, seconds: context.seconds })
  try {
    await load.warmedUp
    const close = windowOver([{ name: 'hop', pid: target.pid }, context.stub, context.redis, { name: 'load generator', pid: load.pid }])
    const outcome = await load.measure()
    const cpu = lessIdle(close(), idleOfTarget(context.idle, target.name))
    return { target: target.name, ratePerSecond, load: outcome, cpuMsPerRequest: perUnit(cpu, outcome.accepted, 1000) }
  } finally {
    await load.stop()
  }
}
