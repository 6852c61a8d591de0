import { isolatedRun } from './isolation.js'
import { startService } from './processes.js'

/** The three services as separate processes, as the README's start command runs them, isolated to one test. */
export async function startStack(env: Record<string, string> = {}) {
  const run = await isolatedRun((env.AMQP_RETRY_DELAYS_MS ?? '50,100').split(',').map(Number))
  const common = {
    AMQP_NAMESPACE: run.namespace,
    REDIS_PREFIX: run.redisPrefix,
    DATA_DIR: run.dataDir,
    KITCHEN_SPEED_FACTOR: '0',
    AMQP_RETRY_DELAYS_MS: '50,100',
    ...env,
  }
  const kitchen = await startService('kitchen', common)
  const waiter = await startService('waiter', { ...common, KITCHEN_URL: kitchen.url })
  const gateway = await startService('gateway', { ...common, WAITER_URL: waiter.url, KITCHEN_URL: kitchen.url })
  async function stop(): Promise<void> {
    await Promise.all([gateway.stop(), waiter.stop(), kitchen.stop()])
    await run.cleanUp()
  }
  return { gateway, waiter, kitchen, run, stop }
}
