// Runs the planned processes: starts each, watches it become ready, restarts one that dies (with a backoff),
// gives up on one that never started or keeps dying, and stops them all gracefully.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'

const DEATHS_TOLERATED = 5
const DEATH_WINDOW_MS = 60_000
const MAX_BACKOFF_MS = 10_000
const READINESS_POLL_MS = 250
// Beyond a service's own SHUTDOWN_TIMEOUT_MS (after which it exits by itself): its process has this long to end.
const STOP_MARGIN_MS = 2_000

/**
 * `onReady()` once every process has been ready; `onFailure(reason)` when one could not start or keeps dying.
 * Children run in process groups of their own, so that a terminal's Ctrl-C reaches only the launcher, which then
 * stops each child once (a service takes a second signal as an order to exit at once).
 */
export function createSupervisor(plan, { env, output, shutdownTimeoutMs, onReady, onFailure }) {
  const members = plan.map((spec) => ({ spec, child: undefined, everReady: false, deaths: [], restart: undefined }))
  let stopping = false

  function start(member) {
    const { name, entry, dir, port, internalPort } = member.spec
    const child = spawn(process.execPath, [entry], {
      cwd: dir,
      env: { ...env, ...member.spec.env, LOG_PRETTY: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    member.child = child
    output.follow(name, child)
    output.say(name, `started: pid ${child.pid}, port ${port}, internal port ${internalPort}`)
    child.once('exit', (code, signal) => onExit(member, code, signal))
    void watchReadiness(member, child)
  }

  async function watchReadiness(member, child) {
    while (member.child === child && !stopping) {
      if (await isReady(member.spec.internalPort)) return becameReady(member)
      await sleep(READINESS_POLL_MS)
    }
  }

  function becameReady(member) {
    if (member.everReady) return output.say(member.spec.name, 'ready again')
    member.everReady = true
    if (members.every(({ everReady }) => everReady)) onReady()
  }

  function onExit(member, code, signal) {
    member.child = undefined
    if (stopping) return
    const how = signal ? `signal ${signal}` : `exit code ${code}`
    if (!member.everReady) return onFailure(`${member.spec.name} could not start (${how})`)
    const now = Date.now()
    member.deaths = [...member.deaths.filter((at) => now - at < DEATH_WINDOW_MS), now]
    if (member.deaths.length >= DEATHS_TOLERATED) return onFailure(`${member.spec.name} died ${member.deaths.length} times within a minute (last: ${how})`)
    const backoffMs = Math.min(1_000 * 2 ** (member.deaths.length - 1), MAX_BACKOFF_MS)
    output.say(member.spec.name, `exited unexpectedly (${how}): restarting in ${backoffMs / 1_000} s`)
    member.restart = setTimeout(() => start(member), backoffMs)
  }

  /** SIGTERM to each, SIGKILL to any still running past the grace period; says which were killed or failed. */
  async function stop() {
    stopping = true
    for (const { restart } of members) clearTimeout(restart)
    const running = members.filter(({ child }) => child)
    // A process still starting has no handler yet and ends by the signal itself: it stopped as asked.
    const exits = running.map(({ spec, child }) => once(child, 'exit').then(([code, signal]) => ({ name: spec.name, clean: code === 0 || signal === 'SIGTERM' })))
    for (const { child } of running) child.kill('SIGTERM')
    const graceOver = sleep(shutdownTimeoutMs + STOP_MARGIN_MS).then(() => 'grace over')
    const killed = (await Promise.race([Promise.all(exits), graceOver])) === 'grace over' ? killStragglers(running) : []
    const failed = (await Promise.all(exits)).filter(({ name, clean }) => !clean && !killed.includes(name)).map(({ name }) => name)
    return { count: running.length, killed, failed }
  }

  function killStragglers(running) {
    const stragglers = running.filter(({ child }) => child.exitCode === null && child.signalCode === null)
    for (const { child } of stragglers) child.kill('SIGKILL')
    return stragglers.map(({ spec }) => spec.name)
  }

  return {
    start: () => members.forEach(start),
    stop,
    /** The last resort when the launcher itself ends: nothing it started outlives it. */
    killAll: () => members.forEach(({ child }) => child?.kill('SIGKILL')),
  }
}

// Ready, not merely alive: a waiter listens before its copy of the menu has come, and until then refuses orders.
async function isReady(internalPort) {
  const response = await fetch(`http://127.0.0.1:${internalPort}/ready`, { signal: AbortSignal.timeout(1_000) }).catch(() => undefined)
  await response?.body?.cancel()
  return response?.ok === true
}
