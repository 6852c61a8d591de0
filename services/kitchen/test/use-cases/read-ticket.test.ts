import t from 'tap'
import { buildOrder, withStatus } from '@restaurant/contracts/testing'
import type { Claim } from '../../src/domain/claims.js'
import type { Ticket } from '../../src/domain/ticket.js'
import { readTicket } from '../../src/use-cases/read-ticket.js'

const claim = (number: number, overrides: Partial<Claim> = {}): Claim => ({ orderId: 'o', number, holder: `k/${number}`, kitchen: 'k', startedAt: `2024-01-01T00:00:0${number}.000Z`, lease: 'k/lease', ...overrides })
const unit = { kitchen: 'k', unit: 0, menuItemId: 'fries', startedAt: '2024-01-01T00:00:02.000Z', endedAt: '2024-01-01T00:00:06.000Z' }

/** A store that holds one ticket, its witness and its claims. */
function storeWith(ticket: Ticket | undefined, claims: Claim[] = []) {
  return { get: async () => ticket, cookedUnits: async () => [unit], claims: async () => claims }
}

t.test('an unknown order has no ticket to read', async (t) => {
  t.equal(await readTicket(storeWith(undefined), 'o'), undefined)
})

t.test('a ready ticket reads with its witness, and the attempt that committed it ended when it became ready', async (t) => {
  const ready = withStatus(withStatus(withStatus(buildOrder(), 'accepted'), 'cooking'), 'ready')
  const view = await readTicket(storeWith({ order: ready, fingerprint: 'fp', committedBy: 2 }, [claim(1, { abandonedAt: '2024-01-01T00:00:03.000Z' }), claim(2)]), 'o')
  t.strictSame(view, {
    order: ready,
    cookedUnits: [unit],
    cookingAttempts: [
      { kitchen: 'k', startedAt: '2024-01-01T00:00:01.000Z', abandonedAt: '2024-01-01T00:00:03.000Z' },
      { kitchen: 'k', startedAt: '2024-01-01T00:00:02.000Z', endedAt: ready.history.at(-1)?.at },
    ],
    fingerprint: 'fp',
  })
})

t.test('an order still cooking has an attempt without an end, and a ticket without a fingerprint reads without one', async (t) => {
  const cooking = withStatus(withStatus(buildOrder(), 'accepted'), 'cooking')
  const view = await readTicket(storeWith({ order: cooking, committedBy: 1 }, [claim(1)]), 'o')
  t.strictSame(view?.cookingAttempts, [{ kitchen: 'k', startedAt: '2024-01-01T00:00:01.000Z' }])
  t.notOk(view && 'fingerprint' in view)
})
