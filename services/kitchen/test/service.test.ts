import t from 'tap'
import { menu } from '@restaurant/contracts/menu'
import { buildInternalServer } from '@restaurant/platform/http/internal-server'
import { queuePolicyFrom } from '@restaurant/platform/messaging/rabbit-bus'
import { loadConfig, rabbitConfig } from '@restaurant/platform/runtime/config'
import { isolatedRun } from '../../../test/support/isolation.js'
import { loadKitchenConfig } from '../src/config.js'
import { startKitchenService } from '../src/service.js'
import { captureLogs } from './support/log-capture.js'

// The machine's RabbitMQ, under names unique to this run, removed after it.
t.test('the service starts on the embedded store, is ready once its broker and store answer, and logs its incarnation', async (t) => {
  const run = await isolatedRun(queuePolicyFrom(loadConfig(rabbitConfig, {})))
  const { log, logs } = captureLogs()
  const service = await startKitchenService(loadKitchenConfig({ NODE_ENV: 'test', AMQP_NAMESPACE: run.namespace, DATA_DIR: run.dataDir }), log)
  t.teardown(async () => {
    await service.close()
    await run.cleanUp()
  })
  const ready = await buildInternalServer(log, service).inject({ url: '/ready' })
  t.equal(ready.statusCode, 200)
  t.match(ready.json(), { checks: { rabbitmq: { required: true }, store: { required: true } } })
  t.notOk('redis' in ready.json<{ checks: object }>().checks, 'the kitchen needs no Redis: the menu, sold-out marks included, is in its store')
  t.equal((await service.menuStore.items()).length, menu.length, 'the menu was seeded on the first start')
  t.match(logs, [{ msg: 'kitchen incarnation', kitchen: /\/\d+\/[0-9a-f]{8}$/ }])
})
