import t from 'tap'
import { queuePolicyFrom } from '@restaurant/platform/messaging/rabbit-bus'
import { loadConfig, rabbitConfig } from '@restaurant/platform/runtime/config'
import { isolatedRun } from '../../../test/support/isolation.js'
import { assertProbesOnInternalPortOnly } from '../../../test/support/probes.js'
import { startService } from '../../../test/support/processes.js'

// The built entry as its own process, on the machine's RabbitMQ and Redis under names unique to this run.
t.test('the kitchen serves its probes and metrics on INTERNAL_PORT, none on its public PORT', async (t) => {
  const run = await isolatedRun(queuePolicyFrom(loadConfig(rabbitConfig, {})))
  const kitchen = await startService('kitchen', { AMQP_NAMESPACE: run.namespace, REDIS_PREFIX: run.redisPrefix, DATA_DIR: run.dataDir })
  t.teardown(async () => {
    await kitchen.stop()
    await run.cleanUp()
  })
  await assertProbesOnInternalPortOnly(t, kitchen)
})
