import { setTimeout as sleep } from 'node:timers/promises'
import { queuePolicyFrom } from '@restaurant/platform/messaging/rabbit-bus'
import { loadConfig, rabbitConfig } from '@restaurant/platform/runtime/config'
import { generousLimits } from './gateway.js'
import { captureAnnouncements } from './announcements.js'
import { isolatedRun } from './isolation.js'
import { closeBrokerConnections, freeze, pidOfIncarnation } from './kitchen-faults.js'
import { startService, type ServiceProcess } from './processes.js'

type Name = ServiceProcess['name']

export interface StackOptions {
  /** Kitchen processes sharing one ticket store; the waiter and the gateway talk to the first. */
  kitchens?: number
  /** SQLite in the run's DATA_DIR, or a database of the run's own on the MongoDB at `process.env.MONGO_URL`. */
  store?: 'sqlite' | 'mongo'
}

/**
 * The three services as separate processes, as the README's start command runs them, isolated to one
 * test, with one or more kitchens on one store. A service can be killed and restarted on its port; the
 * output of every generation is kept, and when each kitchen process ended.
 */
export async function startStack(env: Record<string, string> = {}, { kitchens: kitchenCount = 1, store = 'sqlite' }: StackOptions = {}) {
  const settings = { KITCHEN_SPEED_FACTOR: '0', AMQP_RETRY_DELAYS_MS: '50,100', ...generousLimits, DEV_SIGN_IN: 'true', ...env }
  const mongoUrl = store === 'mongo' ? process.env.MONGO_URL : undefined
  if (store === 'mongo' && !mongoUrl) throw new Error('store "mongo" needs MONGO_URL')
  const run = await isolatedRun(queuePolicyFrom(loadConfig(rabbitConfig, settings)), mongoUrl)
  const announcements = await captureAnnouncements(run.namespace)
  const common = { AMQP_NAMESPACE: run.namespace, REDIS_PREFIX: run.redisPrefix, DATA_DIR: run.dataDir, ...settings }
  const kitchenEnv = mongoUrl ? { ...common, MONGO_URL: mongoUrl, MONGO_DB: run.mongoDb } : common
  const earlier: Record<Name, string[]> = { gateway: [], waiter: [], kitchen: [] }
  const endedAt = new Map<number, number>()
  const frozen = new Set<ServiceProcess>()
  const startKitchen = async (port?: number) => {
    const kitchen = await startService('kitchen', kitchenEnv, port)
    kitchen.child.once('exit', () => endedAt.set(kitchen.child.pid ?? -1, Date.now()))
    return kitchen
  }
  const kitchens: ServiceProcess[] = []
  const started: ServiceProcess[] = []
  const startOrUndo = async (start: () => Promise<ServiceProcess>) => {
    try {
      const service = await start()
      started.push(service)
      return service
    } catch (err) {
      // Nothing of a stack that failed to start may outlive it; the start-up failure is the error to report.
      await Promise.all(started.map((service) => service.stop('SIGKILL')))
      await announcements.close()
      await run.cleanUp().catch(() => undefined)
      throw err
    }
  }
  for (let i = 0; i < kitchenCount; i++) kitchens.push(await startOrUndo(() => startKitchen()))
  const first = kitchens[0] as ServiceProcess
  const waiter = await startOrUndo(() => startService('waiter', { ...common, KITCHEN_URL: first.url }))
  const gateway = await startOrUndo(() => startService('gateway', { ...common, WAITER_URL: waiter.url, KITCHEN_URL: first.url }))
  const services: Record<Exclude<Name, 'kitchen'>, ServiceProcess> = { gateway, waiter }
  const extras: ServiceProcess[] = []
  const envOf: Record<Exclude<Name, 'kitchen'>, Record<string, string>> = {
    waiter: { ...common, KITCHEN_URL: first.url },
    gateway: { ...common, WAITER_URL: waiter.url, KITCHEN_URL: first.url },
  }
  const isLive = (service: ServiceProcess) => service.child.exitCode === null && service.child.signalCode === null && !frozen.has(service)
  const processOf = (name: Name) => (name === 'kitchen' ? (kitchens[0] as ServiceProcess) : services[name])
  const kitchenAt = (index: number) => {
    const kitchen = kitchens[index]
    if (!kitchen) throw new Error(`no kitchen ${index}`)
    return kitchen
  }

  return {
    run,
    /**
     * Where the run's outcome is read: the store (through the first kitchen that answers), the announcements the
     * broker carried, and when a kitchen incarnation ended (its cooking cannot have gone on after that).
     */
    records: {
      kitchenUrl: () => (kitchens.find(isLive) ?? kitchenAt(0)).url,
      announced: announcements.announced,
      endOf: (kitchen: string) => endedAt.get(pidOfIncarnation(kitchen) ?? -1),
    },
    get gateway() {
      return services.gateway
    },
    get waiter() {
      return services.waiter
    },
    get kitchen() {
      return kitchenAt(0)
    },
    /** The kitchens as they run now (a restarted one is a new process at the same index and port). */
    get kitchens(): readonly ServiceProcess[] {
      return kitchens
    },
    /** Stops a service (the first kitchen for 'kitchen') with a signal (SIGKILL for a crash); resolves with its exit code. */
    async stopOne(name: Name, signal: NodeJS.Signals) {
      return processOf(name).stop(signal)
    },
    /** Starts a stopped service again on its port. */
    async startAgain(name: Name) {
      if (name === 'kitchen') return this.startKitchenAgain(0)
      const old = services[name]
      earlier[name].push(old.output())
      services[name] = await startService(name, envOf[name], old.port)
      return services[name]
    },
    async restart(name: Name, signal: NodeJS.Signals = 'SIGKILL') {
      await this.stopOne(name, signal)
      return this.startAgain(name)
    },
    /** Kills a service `times` times, `pauseMs` apart, restarting it after each crash. */
    async crashRepeatedly(name: Name, times: number, pauseMs: number) {
      for (let crash = 0; crash < times; crash++) {
        await sleep(pauseMs)
        await this.restart(name, 'SIGKILL')
      }
    },
    async startKitchenAgain(index: number) {
      const old = kitchenAt(index)
      earlier.kitchen.push(old.output())
      kitchens[index] = await startKitchen(old.port)
      return kitchens[index] as ServiceProcess
    },
    /** SIGKILLs kitchen `index` and starts a new incarnation on its port; resolves with what was killed and when. */
    async crashKitchen(index: number) {
      const killed = kitchenAt(index)
      const killedAt = Date.now()
      await killed.stop('SIGKILL')
      await this.startKitchenAgain(index)
      return { pid: killed.child.pid ?? -1, killedAt }
    },
    /** Has the broker close kitchen `index`'s connections; resolves with how many it closed. */
    async dropKitchenConnections(index: number) {
      return closeBrokerConnections(kitchenAt(index).child.pid ?? -1)
    },
    /** Freezes kitchen `index` for `ms` (SIGSTOP), then resumes it (SIGCONT); meanwhile its reads go to another. */
    async freezeKitchen(index: number, ms: number) {
      const kitchen = kitchenAt(index)
      frozen.add(kitchen)
      try {
        await freeze(kitchen.child, ms)
      } finally {
        frozen.delete(kitchen)
      }
    },
    /** Starts one more instance of a service beside the others, sharing its broker, Redis and store. */
    async addInstance(name: Exclude<Name, 'gateway'>) {
      const extra = name === 'kitchen' ? await startKitchen() : await startService(name, envOf[name])
      extras.push(extra)
      return extra
    },
    /** Everything every generation of the service (of every kitchen, for 'kitchen') has written. */
    outputs(name: Name): string {
      const current = name === 'kitchen' ? kitchens : [services[name]]
      return [...earlier[name], ...current.map((service) => service.output())].join('\n')
    },
    async stop() {
      // A frozen process would never act on SIGTERM.
      for (const kitchen of kitchens.filter((kitchen) => kitchen.child.exitCode === null)) kitchen.child.kill('SIGCONT')
      await Promise.all([...Object.values(services), ...kitchens, ...extras].map((service) => service.stop()))
      await announcements.close()
      await run.cleanUp()
    },
  }
}

export type Stack = Awaited<ReturnType<typeof startStack>>
