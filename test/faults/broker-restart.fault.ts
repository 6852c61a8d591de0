import { setTimeout as sleep } from 'node:timers/promises'
import { performance } from 'node:perf_hooks'
import t from 'tap'
import { assertCookedOnce } from '../support/crash-run.js'
import { eventually } from '../support/isolation.js'
import { rabbitServer, stopDuringTest } from '../support/machine-services.js'
import { placeOrders } from '../support/order-client.js'
import { scoreRun, summary } from '../support/scoring.js'
import { startStack } from '../support/stack.js'

t.test('RabbitMQ restarted during 2,000 orders: the services recover by themselves within 10 s, nothing lost', async (t) => {
  const stack = await startStack({ KITCHEN_SPEED_FACTOR: '0' })
  t.teardown(stack.stop)
  const pids = { waiter: stack.waiter.child.pid, kitchen: stack.kitchen.child.pid }
  const load = placeOrders(() => stack.gateway.url, 2_000, { concurrency: 20, keyPrefix: 'broker-restart', deadlineMs: Date.now() + 180_000 })
  await sleep(1_500)
  const restart = await stopDuringTest(t, rabbitServer)
  await sleep(3_000)
  await restart()
  const back = performance.now()
  const ready = async (service: { internalUrl: string }) => (await fetch(`${service.internalUrl}/ready`)).ok
  await eventually(async () => ((await Promise.all([stack.gateway, stack.waiter, stack.kitchen].map(ready))).every(Boolean) ? true : undefined), 30_000, 'the stack to be ready')
  const recoveryMs = Math.round(performance.now() - back)
  const records = await load
  const score = await scoreRun(records, stack.records, 60_000)
  t.comment(summary('RabbitMQ restart', score, { recoveryMs }))
  t.ok(recoveryMs < 10_000, `ready again ${recoveryMs} ms after the broker returned`)
  t.same({ waiter: stack.waiter.child.pid, kitchen: stack.kitchen.child.pid }, pids, 'recovered without a process restart')
  t.match(stack.outputs('waiter'), /recovered the connection to RabbitMQ/)
  t.match(stack.outputs('kitchen'), /recovered the connection to RabbitMQ/)
  t.equal(score.accepted, 2_000)
  t.same(score.lost, [])
  t.same(score.unexpected, [])
  assertCookedOnce(t, score)
  t.ok(records.some((record) => record.attempts > 1), 'clients met the outage and retried')
})
