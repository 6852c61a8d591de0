import t from 'tap'
import { attemptOf, finishedUnits, isLive, nextClaim, renewalIntervalOf, safetyMarginOf, type Claim } from '../../src/domain/claims.js'

const claim = (overrides: Partial<Claim> = {}): Claim => ({ orderId: 'o', number: 1, holder: 'k/1', kitchen: 'k', startedAt: '2024-01-01T00:00:00.000Z', lease: 'k/lease', ...overrides })
const lease = (expiresAt: number) => ({ id: 'k/lease', kitchen: 'k', expiresAt })

t.test('a claim is live while its lease runs, and not once abandoned, once its lease ended, or without a lease', async (t) => {
  t.equal(isLive(claim(), lease(1_001), 1_000), true)
  t.equal(isLive(claim(), lease(1_000), 1_000), false, 'a lease ends at its expiry')
  t.equal(isLive(claim({ abandonedAt: '2024-01-01T00:00:01.000Z' }), lease(5_000), 1_000), false)
  t.equal(isLive(claim(), undefined, 1_000), false)
})

t.test("the next claim numbers one past the latest, or 1 for an order's first, and starts now", async (t) => {
  const who = { holder: 'j/2', kitchen: 'j', lease: 'j/lease' }
  t.strictSame(nextClaim('o', undefined, who, 0), { orderId: 'o', number: 1, ...who, startedAt: '1970-01-01T00:00:00.000Z' })
  t.equal(nextClaim('o', claim({ number: 3 }), who, 0).number, 4)
})

t.test('a holder stops a tenth of the lease early and renews three times a lease', async (t) => {
  t.same([safetyMarginOf(10_000), safetyMarginOf(301)], [1_000, 31])
  t.same([renewalIntervalOf(9_000), renewalIntervalOf(10_000)], [3_000, 3_334])
})

t.test('the claim that committed the last step ended then; the others ended as abandoned or not at all', async (t) => {
  const at = '2024-01-01T00:00:09.000Z'
  t.strictSame(attemptOf(claim(), { committedBy: 1, at }), { kitchen: 'k', startedAt: claim().startedAt, endedAt: at })
  t.strictSame(attemptOf(claim(), { committedBy: 2, at }), { kitchen: 'k', startedAt: claim().startedAt })
  t.strictSame(attemptOf(claim(), { committedBy: 1 }), { kitchen: 'k', startedAt: claim().startedAt }, 'an order not ended has no end')
  const abandonedAt = '2024-01-01T00:00:02.000Z'
  t.strictSame(attemptOf(claim({ abandonedAt }), { committedBy: 2, at }), { kitchen: 'k', startedAt: claim().startedAt, abandonedAt })
})

t.test('only units the witness saw end count as finished, by unit', async (t) => {
  const started = { kitchen: 'k', unit: 0, menuItemId: 'fries', startedAt: 'a' }
  const ended = { ...started, unit: 1, endedAt: 'b' }
  const finished = finishedUnits([started, ended, { ...started, unit: 2, abandonedAt: 'c' }])
  t.same([...finished.keys()], [1])
  t.equal(finished.get(1), ended)
})
