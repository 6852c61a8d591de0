import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { SetAsideError } from '@restaurant/platform/runtime/errors'
import { createSubscriptionLanes } from '../../src/use-cases/subscription-lanes.js'

const ok = () => true

/** An attempt that ends when told, and says whether it succeeded. */
function pending() {
  let end: (succeeded: boolean) => void = () => undefined
  const done = new Promise<boolean>((resolve) => (end = resolve))
  return { run: () => done, end }
}

t.test('a healthy receiver: attempts beyond its places wait for one, none is set aside', async (t) => {
  const inLane = createSubscriptionLanes({ maxInFlight: 2, slowAfterMs: 1_000 })
  const attempts = [pending(), pending(), pending()]
  const running = attempts.map((attempt) => inLane('a', attempt.run, (result) => result))
  await sleep(10)
  for (const attempt of attempts) attempt.end(true)
  t.same(await Promise.all(running), [true, true, true])
})

t.test('a receiver that hangs: once its attempt is slow, more for it are set aside, while another subscription goes on', async (t) => {
  const inLane = createSubscriptionLanes({ maxInFlight: 1, slowAfterMs: 20 })
  const hanging = pending()
  const first = inLane('slow', hanging.run, ok)
  await t.rejects(inLane('slow', async () => true, ok), SetAsideError, 'set aside once the first is slow')
  t.equal(await inLane('other', async () => 'sent', ok), 'sent')
  hanging.end(true)
  await first
  t.equal(await inLane('slow', async () => 'sent again', ok), 'sent again', 'a place once it answered')
})

t.test('a failing receiver gets one attempt at a time until one succeeds', async (t) => {
  const inLane = createSubscriptionLanes({ maxInFlight: 4, slowAfterMs: 1_000 })
  await inLane('a', async () => false, (result) => result)
  const retry = pending()
  const running = inLane('a', retry.run, (result) => result)
  await t.rejects(inLane('a', async () => true, ok), SetAsideError)
  retry.end(true)
  await running
  const both = await Promise.all([inLane('a', async () => 1, ok), inLane('a', async () => 2, ok)])
  t.same(both, [1, 2], 'healthy again: several at once')
})

t.test('a burst for one receiver: as many wait as run, the rest are set aside, leaving the consumer to the others', async (t) => {
  const inLane = createSubscriptionLanes({ maxInFlight: 2, slowAfterMs: 1_000 })
  const attempts = Array.from({ length: 5 }, () => pending())
  const outcomes = attempts.map((attempt) => inLane('a', attempt.run, ok).then(() => 'sent', (err: unknown) => (err instanceof SetAsideError ? 'set aside' : 'failed')))
  await sleep(10)
  for (const attempt of attempts) attempt.end(true)
  t.same(await Promise.all(outcomes), ['sent', 'sent', 'sent', 'sent', 'set aside'])
})
