import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { assertCookedOnce } from '../support/crash-run.js'
import { placeOrders } from '../support/order-client.js'
import { scoreRun, summary } from '../support/scoring.js'
import { startStack } from '../support/stack.js'

t.test('SIGTERM on each service under load: each stops within 10 s, nothing is lost', async (t) => {
  // Cooking takes a little time, so the kitchen has orders in hand when it is asked to stop.
  const stack = await startStack({ KITCHEN_SPEED_FACTOR: '0.05' })
  t.teardown(stack.stop)
  const load = placeOrders(() => stack.gateway.url, 900, { concurrency: 10, keyPrefix: 'sigterm', deadlineMs: Date.now() + 120_000, paceMs: 20 })
  const stops: Record<string, number> = {}
  for (const name of ['kitchen', 'waiter', 'gateway'] as const) {
    await sleep(1_000)
    const started = performance.now()
    const code = await stack.stopOne(name, 'SIGTERM')
    stops[name] = Math.round(performance.now() - started)
    t.equal(code, 0, `${name} exits cleanly`)
    t.ok(stops[name] < 10_000, `${name} stopped in ${stops[name]} ms`)
    await stack.startAgain(name)
  }
  const records = await load
  const score = await scoreRun(records, stack.records, 60_000)
  t.comment(summary('SIGTERM each service', score, { kitchenStopMs: stops.kitchen ?? 0, waiterStopMs: stops.waiter ?? 0, gatewayStopMs: stops.gateway ?? 0 }))
  t.match(stack.outputs('kitchen'), /shutting down: no new work, finishing the work in hand/)
  t.equal(score.accepted, 900)
  t.same(score.lost, [])
  t.same(score.unexpected, [])
  assertCookedOnce(t, score)
})
