import type { Test } from 'tap'
import { queuePolicyFrom } from '@restaurant/platform/messaging/rabbit-bus'
import { loadConfig, rabbitConfig } from '@restaurant/platform/runtime/config'
import { isolatedRun } from './isolation.js'
import { menuOnlyKitchen } from './menu-only-kitchen.js'
import { startService, type ServiceProcess } from './processes.js'

const probes = ['/health', '/ready', '/metrics']

/**
 * A running service keeps its probes and metrics to its internal port: there `/health`, `/ready` and `/metrics`
 * answer, and its start-up log names that port; on the public port each is the usual 404 problem.
 */
export async function assertProbesOnInternalPortOnly(t: Test, service: ServiceProcess): Promise<void> {
  for (const path of probes) {
    const refused = await fetch(`${service.url}${path}`)
    t.match({ status: refused.status, body: await refused.json() }, { status: 404, body: { code: 'not-found' } }, `the public port serves no ${path}`)
    t.equal((await fetch(`${service.internalUrl}${path}`)).status, 200, `the internal port serves ${path}`)
  }
  t.match(await (await fetch(`${service.internalUrl}/metrics`)).text(), `service="${service.name}"`, 'its own metrics')
  const listening = service.output().split('\n').filter((line) => line.includes('Server listening'))
  t.match(listening, [/^(?!.*"listener":"internal")/, /"listener":"internal"/], 'one line for each listener, the internal one named')
  t.match(listening[1], `${service.internalUrl}"`)
}

/**
 * The same of the waiter or the kitchen as its built entry runs it, on the machine's RabbitMQ and Redis under names of
 * its own; the waiter, which is ready once it holds the menu, gets it from a stand-in kitchen.
 */
export async function assertBackendProbesOnInternalPortOnly(t: Test, name: 'waiter' | 'kitchen'): Promise<void> {
  const run = await isolatedRun(queuePolicyFrom(loadConfig(rabbitConfig, {})))
  const menu: Record<string, string> = name === 'waiter' ? { KITCHEN_URL: await menuOnlyKitchen(t) } : {}
  const service = await startService(name, { AMQP_NAMESPACE: run.namespace, REDIS_PREFIX: run.redisPrefix, DATA_DIR: run.dataDir, ...menu }).catch(async (err: unknown) => {
    await run.cleanUp()
    throw err
  })
  t.teardown(async () => {
    await service.stop()
    await run.cleanUp()
  })
  await assertProbesOnInternalPortOnly(t, service)
}
