import type { Test } from 'tap'
import type { Identity } from '@restaurant/contracts/identity'
import type { OrderStatus } from '@restaurant/contracts/order-status'
import type { Order } from '@restaurant/contracts/orders'
import { queuePolicyFrom } from '@restaurant/platform/messaging/rabbit-bus'
import { loadConfig, rabbitConfig } from '@restaurant/platform/runtime/config'
import { createLogger, type Logger } from '@restaurant/platform/runtime/logger'
import { loadKitchenConfig } from '../../services/kitchen/src/config.js'
import { startKitchenService } from '../../services/kitchen/src/service.js'
import { loadWaiterConfig } from '../../services/waiter/src/config.js'
import { startWaiterService } from '../../services/waiter/src/service.js'
import { customer, signedIdentity, staff } from './credentials.js'
import { eventually, isolatedRun } from './isolation.js'
import { menuOnlyKitchen } from './menu-only-kitchen.js'

export interface InjectOptions {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  url: string
  payload?: string | object
  headers?: Record<string, string>
}

/**
 * The waiter and the kitchen in this process, on the machine's real RabbitMQ and Redis and an embedded
 * store, with names unique to the test. Everything is torn down and removed when the test ends.
 */
export async function startInProcessSystem(
  t: Test,
  env: Record<string, string> = {},
  { withKitchen = true, log = createLogger({ name: 'test', level: 'silent', pretty: false }) }: { withKitchen?: boolean; log?: Logger } = {},
) {
  const settings = { AMQP_RETRY_DELAYS_MS: '50,100', KITCHEN_SPEED_FACTOR: '0', ...env }
  const run = await isolatedRun(queuePolicyFrom(loadConfig(rabbitConfig, settings)))
  const shared = { NODE_ENV: 'test', AMQP_NAMESPACE: run.namespace, DATA_DIR: run.dataDir, REDIS_PREFIX: run.redisPrefix, ...settings }
  const kitchen = withKitchen ? await startKitchenService(loadKitchenConfig(shared), log) : undefined
  // Without a kitchen, the waiter's calls to it fail as they would against a kitchen that is down, but for the menu.
  const kitchenUrl = kitchen ? await kitchen.app.listen({ host: '127.0.0.1', port: 0 }) : await menuOnlyKitchen(t)
  const waiter = await startWaiterService(loadWaiterConfig({ ...shared, KITCHEN_URL: kitchenUrl }), log)
  await waiter.app.ready()
  t.teardown(() => inTurn([() => waiter.close(), async () => kitchen?.close(), () => run.cleanUp()]))

  /** A request to the waiter as if through the gateway, from `identity` (by default the customer alice). */
  function inject(options: InjectOptions, identity: Identity = customer()) {
    return waiter.app.inject({ ...options, headers: { ...options.headers, ...signedIdentity(identity, options.method ?? 'GET', options.url) } })
  }
  async function readOrder(id: string): Promise<Order> {
    return (await inject({ method: 'GET', url: `/api/orders/${id}` }, staff)).json<Order>()
  }
  async function waitForStatus(id: string, status: OrderStatus): Promise<Order> {
    return eventually(async () => {
      const order = await readOrder(id)
      return order.status === status ? order : undefined
    }, 10_000, `order ${id} to be ${status}`)
  }
  return { app: waiter.app, inject, redis: waiter.redis, kitchen, run, readOrder, waitForStatus }
}


/**
 * Runs every step in turn, the later ones even when an earlier one failed, so that nothing a failed close left
 * open keeps the test's process alive; then fails naming every step that did.
 */
async function inTurn(steps: readonly (() => Promise<unknown>)[]): Promise<void> {
  const failures: string[] = []
  for (const [index, step] of steps.entries()) {
    await step().catch((err: unknown) => failures.push(`step ${index + 1}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`))
  }
  if (failures.length > 0) throw new Error(`teardown failed: ${failures.join('; ')}`)
}
