import t from 'tap'
import { queuePolicyFrom } from '@restaurant/platform/messaging/rabbit-bus'
import { loadConfig, rabbitConfig } from '@restaurant/platform/runtime/config'
import { isolatedRun } from '../../../test/support/isolation.js'
import { assertProbesOnInternalPortOnly } from '../../../test/support/probes.js'
import { startService } from '../../../test/support/processes.js'

// The built entry as its own process, on the machine's RabbitMQ and Redis under names unique to this run.
t.test('the waiter serves its probes and metrics on INTERNAL_PORT, none on its public PORT', async (t) => {
  const run = await isolatedRun(queuePolicyFrom(loadConfig(rabbitConfig, {})))
  const waiter = await startService('waiter', { AMQP_NAMESPACE: run.namespace, REDIS_PREFIX: run.redisPrefix, DATA_DIR: run.dataDir })
  t.teardown(async () => {
    await waiter.stop()
    await run.cleanUp()
  })
  await assertProbesOnInternalPortOnly(t, waiter)
})
