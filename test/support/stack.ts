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
  /** Kitchen processes sharing one ticket store. */
  kitchens?: number
  waiters?: number
  gateways?: number
  /** SQLite in the run's DATA_DIR, or a database of the run's own on the MongoDB at `process.env.MONGO_URL`. */
  store?: 'sqlite' | 'mongo'
  /** The broker's members, when not the machine's own node: the services get them all as their AMQP_URL. */
  amqpUrls?: readonly string[]
}

const urlsOf = (instances: readonly ServiceProcess[]) => instances.map((instance) => instance.url).join(',')

/**
 * The three services as separate processes, as the README's start command runs them, isolated to one test:
 * one or more of each, the kitchens on one store, every gateway in front of every waiter and kitchen and every
 * waiter in front of every kitchen. An instance can be killed and restarted on its port; the output of every
 * generation is kept, and when each kitchen process ended.
 */
export async function startStack(env: Record<string, string> = {}, options: StackOptions = {}) {
  const { kitchens: kitchenCount = 1, waiters: waiterCount = 1, gateways: gatewayCount = 1, store = 'sqlite', amqpUrls } = options
  const settings = { KITCHEN_SPEED_FACTOR: '0', AMQP_RETRY_DELAYS_MS: '50,100', ...generousLimits, DEV_SIGN_IN: 'true', ...(amqpUrls ? { AMQP_URL: amqpUrls.join(',') } : {}), ...env }
  const mongoUrl = store === 'mongo' ? process.env.MONGO_URL : undefined
  if (store === 'mongo' && !mongoUrl) throw new Error('store "mongo" needs MONGO_URL')
  const run = await isolatedRun(queuePolicyFrom(loadConfig(rabbitConfig, settings)), { mongoUrl, amqpUrls })
  const announcements = await captureAnnouncements(run.namespace, amqpUrls)
  const common = { AMQP_NAMESPACE: run.namespace, REDIS_PREFIX: run.redisPrefix, DATA_DIR: run.dataDir, ...settings }
  const instances: Record<Name, ServiceProcess[]> = { kitchen: [], waiter: [], gateway: [] }
  const earlier: Record<Name, string[]> = { gateway: [], waiter: [], kitchen: [] }
  const endedAt = new Map<number, number>()
  const frozen = new Set<ServiceProcess>()
  const extras: ServiceProcess[] = []
  const envOf = (name: Name): Record<string, string> => {
    const store: Record<string, string> = mongoUrl ? { MONGO_URL: mongoUrl, MONGO_DB: run.mongoDb } : {}
    if (name === 'kitchen') return { ...common, ...store }
    if (name === 'waiter') return { ...common, ...store, KITCHEN_URL: urlsOf(instances.kitchen) }
    return { ...common, WAITER_URL: urlsOf(instances.waiter), KITCHEN_URL: urlsOf(instances.kitchen) }
  }
  const launch = async (name: Name, port?: number) => {
    const service = await startService(name, envOf(name), port)
    if (name === 'kitchen') service.child.once('exit', () => endedAt.set(service.child.pid ?? -1, Date.now()))
    return service
  }
  const stopAll = () => Promise.all([...Object.values(instances).flat(), ...extras].map((service) => service.stop('SIGKILL')))
  try {
    for (const [name, count] of [['kitchen', kitchenCount], ['waiter', waiterCount], ['gateway', gatewayCount]] as const) {
      for (let i = 0; i < count; i++) instances[name].push(await launch(name))
    }
  } catch (err) {
    // Nothing of a stack that failed to start may outlive it; the start-up failure is the error to report.
    await stopAll()
    await announcements.close()
    await run.cleanUp().catch(() => undefined)
    throw err
  }
  const isLive = (service: ServiceProcess) => service.child.exitCode === null && service.child.signalCode === null && !frozen.has(service)
  const at = (name: Name, index: number) => {
    const instance = instances[name][index]
    if (!instance) throw new Error(`no ${name} ${index}`)
    return instance
  }

  return {
    run,
    /**
     * Where the run's outcome is read: the store (through the first kitchen that answers), the announcements the
     * broker carried, and when a kitchen incarnation ended (its cooking cannot have gone on after that).
     */
    records: {
      kitchenUrl: () => (instances.kitchen.find(isLive) ?? at('kitchen', 0)).url,
      announced: announcements.announced,
      endOf: (kitchen: string) => endedAt.get(pidOfIncarnation(kitchen) ?? -1),
    },
    get gateway() {
      return at('gateway', 0)
    },
    get waiter() {
      return at('waiter', 0)
    },
    get kitchen() {
      return at('kitchen', 0)
    },
    /** The instances as they run now (a restarted one is a new process at the same index and port). */
    get gateways(): readonly ServiceProcess[] {
      return instances.gateway
    },
    get waiters(): readonly ServiceProcess[] {
      return instances.waiter
    },
    get kitchens(): readonly ServiceProcess[] {
      return instances.kitchen
    },
    /** Stops the first instance of a service with a signal (SIGKILL for a crash); resolves with its exit code. */
    async stopOne(name: Name, signal: NodeJS.Signals) {
      return at(name, 0).stop(signal)
    },
    /** Starts a stopped instance again on its port (the first unless told). */
    async startAgain(name: Name, index = 0) {
      const old = at(name, index)
      earlier[name].push(old.output())
      instances[name][index] = await launch(name, old.port)
      return instances[name][index] as ServiceProcess
    },
    async restart(name: Name, signal: NodeJS.Signals = 'SIGKILL', index = 0) {
      await at(name, index).stop(signal)
      return this.startAgain(name, index)
    },
    /** Kills the first instance of a service `times` times, `pauseMs` apart, restarting it after each crash. */
    async crashRepeatedly(name: Name, times: number, pauseMs: number) {
      for (let crash = 0; crash < times; crash++) {
        await sleep(pauseMs)
        await this.restart(name, 'SIGKILL')
      }
    },
    /** SIGKILLs an instance and starts a new incarnation on its port; resolves with what was killed and when. */
    async crash(name: Name, index: number) {
      const killed = at(name, index)
      const killedAt = Date.now()
      await this.restart(name, 'SIGKILL', index)
      return { pid: killed.child.pid ?? -1, killedAt }
    },
    async crashKitchen(index: number) {
      return this.crash('kitchen', index)
    },
    /** Has the broker close kitchen `index`'s connections; resolves with how many it closed. */
    async dropKitchenConnections(index: number) {
      return closeBrokerConnections(at('kitchen', index).child.pid ?? -1)
    },
    /** Freezes kitchen `index` for `ms` (SIGSTOP), then resumes it (SIGCONT); meanwhile its reads go to another. */
    async freezeKitchen(index: number, ms: number) {
      const kitchen = at('kitchen', index)
      frozen.add(kitchen)
      try {
        await freeze(kitchen.child, ms)
      } finally {
        frozen.delete(kitchen)
      }
    },
    /** Starts one more instance of a service beside the others, sharing its broker, Redis and store. */
    async addInstance(name: Exclude<Name, 'gateway'>) {
      const extra = await launch(name)
      extras.push(extra)
      return extra
    },
    /** Everything every generation of every instance of the service has written. */
    outputs(name: Name): string {
      return [...earlier[name], ...instances[name].map((service) => service.output())].join('\n')
    },
    async stop() {
      // A frozen process would never act on SIGTERM.
      for (const kitchen of instances.kitchen.filter((kitchen) => kitchen.child.exitCode === null)) kitchen.child.kill('SIGCONT')
      await Promise.all([...Object.values(instances).flat(), ...extras].map((service) => service.stop()))
      await announcements.close()
      await run.cleanUp()
    },
  }
}

export type Stack = Awaited<ReturnType<typeof startStack>>
