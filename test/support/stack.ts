import { setTimeout as sleep } from 'node:timers/promises'
import { loadConfig, queuePolicyFrom, rabbitConfig } from '@restaurant/shared'
import { generousLimits } from './gateway.js'
import { captureAnnouncements } from './announcements.js'
import { isolatedRun } from './isolation.js'
import { startService, type ServiceProcess } from './processes.js'

type Name = ServiceProcess['name']

/**
 * The three services as separate processes, as the README's start command runs them, isolated to one
 * test. A service can be killed and restarted on its port; the output of every generation is kept.
 */
export async function startStack(env: Record<string, string> = {}) {
  const settings = { KITCHEN_SPEED_FACTOR: '0', AMQP_RETRY_DELAYS_MS: '50,100', ...generousLimits, DEV_SIGN_IN: 'true', ...env }
  const run = await isolatedRun(queuePolicyFrom(loadConfig(rabbitConfig, settings)))
  const announcements = await captureAnnouncements(run.namespace)
  const common = { AMQP_NAMESPACE: run.namespace, REDIS_PREFIX: run.redisPrefix, DATA_DIR: run.dataDir, ...settings }
  const earlier: Record<Name, string[]> = { gateway: [], waiter: [], kitchen: [] }
  const kitchen = await startService('kitchen', common)
  const waiter = await startService('waiter', { ...common, KITCHEN_URL: kitchen.url })
  const gateway = await startService('gateway', { ...common, WAITER_URL: waiter.url, KITCHEN_URL: kitchen.url })
  const services: Record<Name, ServiceProcess> = { gateway, waiter, kitchen }
  const extras: ServiceProcess[] = []
  const envOf: Record<Name, Record<string, string>> = {
    kitchen: common,
    waiter: { ...common, KITCHEN_URL: kitchen.url },
    gateway: { ...common, WAITER_URL: waiter.url, KITCHEN_URL: kitchen.url },
  }

  return {
    run,
    /** Where the run's outcome is read: the kitchen's store and the announcements the broker carried. */
    records: { kitchenUrl: () => services.kitchen.url, announced: announcements.announced },
    get gateway() {
      return services.gateway
    },
    get waiter() {
      return services.waiter
    },
    get kitchen() {
      return services.kitchen
    },
    /** Stops a service with a signal (SIGKILL for a crash); resolves with its exit code. */
    async stopOne(name: Name, signal: NodeJS.Signals) {
      return services[name].stop(signal)
    },
    /** Starts a stopped service again on its port. */
    async startAgain(name: Name) {
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
    /** Starts one more instance of a service beside the first, sharing its broker, Redis and store settings. */
    async addInstance(name: Exclude<Name, 'gateway'>) {
      const extra = await startService(name, { ...envOf[name], ...(name === 'kitchen' ? { DATA_DIR: `${run.dataDir}/kitchen-${extras.length + 2}` } : {}) })
      extras.push(extra)
      return extra
    },
    /** Everything every generation of the service has written. */
    outputs(name: Name): string {
      return [...earlier[name], services[name].output()].join('\n')
    },
    async stop() {
      await Promise.all([...Object.values(services), ...extras].map((service) => service.stop()))
      await announcements.close()
      await run.cleanUp()
    },
  }
}

export type Stack = Awaited<ReturnType<typeof startStack>>
