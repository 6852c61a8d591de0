import type { Test } from 'tap'
import { placeOrders } from './order-client.js'
import { scoreRun, type Score } from './scoring.js'
import { startStack } from './stack.js'

const ORDERS = 1_000

/**
 * 1,000 orders from 20 clients while `service` is killed `kills` times, `pauseMs` apart, and restarted
 * after each crash; resolves once every order is settled and scored against the kitchen's records.
 */
export async function ordersThroughCrashes(t: Test, service: 'kitchen' | 'waiter', kills: number, pauseMs: number) {
  const stack = await startStack({ KITCHEN_SPEED_FACTOR: '0' })
  t.teardown(stack.stop)
  const load = placeOrders(() => stack.gateway.url, ORDERS, { concurrency: 20, keyPrefix: `${service}-crash`, deadlineMs: Date.now() + 120_000 })
  await stack.crashRepeatedly(service, kills, pauseMs)
  const records = await load
  const score = await scoreRun(records, stack.records, 60_000)
  return { stack, records, score }
}

/** The guarantee whatever crashed: every order accepted once, none lost, none invented, none cooked twice. */
export function assertEveryOrderOnce(t: Test, score: Score): void {
  t.equal(score.accepted, ORDERS, 'every order was accepted in the end')
  t.same(score.lost, [], 'no accepted order is lost')
  t.same(score.unexpected, [], 'no order exists that no client was told about')
  t.same(score.cookedTwice, [], 'no order was announced ready twice in different states')
  t.same(score.conflicting, [], 'no step of any order was won by two writers')
}
