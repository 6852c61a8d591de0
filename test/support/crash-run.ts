import type { Test } from 'tap'
import { placeOrders } from './order-client.js'
import { scoreRun, type Score } from './scoring.js'
import { startStack } from './stack.js'
import type { Overlap } from './witness.js'

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

/**
 * What the witness must show whatever happened: no unit finished twice, none of a ready order missing, one
 * committed completion per ready order, and no two cookings of a unit at once, except overlaps `allowed`
 * (a kitchen frozen past its lease may finish the unit in its hands).
 */
export function assertCookedOnce(t: Test, score: Score, allowed: (overlap: Overlap) => boolean = () => false): void {
  const { witness } = score
  for (const ticket of witness.evidence) {
    const { id, status, history } = ticket.order
    t.comment(`cooked twice or at once: ${JSON.stringify({ id, status, history, attempts: ticket.cookingAttempts, units: ticket.cookedUnits })}`)
  }
  t.same(witness.unitsFinishedTwice, [], 'no unit of any order was finished twice')
  t.same(witness.unitsMissing, [], 'every unit of every ready order was finished')
  t.same(witness.completionProblems, [], 'every ready order has exactly one committed completion')
  t.same(witness.overlaps.filter((overlap) => !allowed(overlap)), [], 'no two cookings of one unit overlapped')
}

/** The guarantee whatever crashed: every order accepted once, none lost, none invented, each cooked once. */
export function assertEveryOrderOnce(t: Test, score: Score, expected = ORDERS, allowed?: (overlap: Overlap) => boolean): void {
  t.equal(score.accepted, expected, 'every order was accepted in the end')
  t.same(score.lost, [], 'no accepted order is lost')
  t.same(score.unexpected, [], 'no order exists that no client was told about')
  t.same(score.conflicting, [], 'no step of any order was won by two writers')
  assertCookedOnce(t, score, allowed)
}
