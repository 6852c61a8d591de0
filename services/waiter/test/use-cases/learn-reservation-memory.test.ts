import t from 'tap'
import { buildOrder } from '@restaurant/contracts/testing'
import { createLearnReservationMemory } from '../../src/use-cases/learn-reservation-memory.js'
import { alice, fakeKitchen, fakeReservations, messages, requestFrom, ticketOf } from './fake-ports.js'

const noticedAt = new Date('2026-01-02T03:00:00.000Z')

function learner(...placedAt: string[]) {
  const kitchen = fakeKitchen(...placedAt.map((at) => ticketOf(buildOrder({ placedAt: at }))))
  const reservations = fakeReservations('unknown')
  const learn = createLearnReservationMemory({ kitchen: kitchen.kitchen, reservations: reservations.reservations, now: () => noticedAt })
  return { learn, kitchen, reservations }
}

t.test("Redis is told the newest order the kitchen held before it was found not to know", async (t) => {
  const { learn, reservations } = learner('2026-01-02T02:00:00.000Z', '2026-01-02T02:59:00.000Z', '2026-01-02T03:00:01.000Z')
  await learn(requestFrom(alice))
  t.same(reservations.rememberedSince, ['2026-01-02T02:59:00.000Z'])
})

t.test('lessons asked for at once are one look at the kitchen; a later one looks again', async (t) => {
  const { learn, kitchen, reservations } = learner()
  await Promise.all([learn(requestFrom(alice)), learn(requestFrom(alice))])
  t.equal(kitchen.listed.length, 1)
  await learn(requestFrom(alice))
  t.equal(kitchen.listed.length, 2)
  t.same(reservations.rememberedSince, [undefined, undefined])
})

t.test('a kitchen that cannot answer is logged, and the next lesson tries again', async (t) => {
  const { learn, kitchen, reservations } = learner()
  kitchen.unreachable = true
  const ctx = requestFrom(alice)
  await learn(ctx)
  t.same(reservations.rememberedSince, [])
  t.match(messages(ctx.lines, 'could not learn what Redis remembers; asking the kitchen about new keys meanwhile'), [{ level: 40, err: { code: 'KITCHEN_UNAVAILABLE' } }])
  kitchen.unreachable = false
  await learn(requestFrom(alice))
  t.same(reservations.rememberedSince, [undefined])
})

t.test('a lesson that Redis changed master during is begun again for the new master', async (t) => {
  const { learn, kitchen, reservations } = learner('2026-01-02T02:00:00.000Z')
  const listOrders = kitchen.kitchen.listOrders
  kitchen.kitchen.listOrders = async (...args) => {
    if (kitchen.listed.length === 0) reservations.epoch = 'epoch-2'
    return listOrders(...args)
  }
  await learn(requestFrom(alice))
  t.same(reservations.rememberedIn, ['epoch-2'], 'nothing recorded for the master that was gone')
  t.equal(kitchen.listed.length, 2)
})

t.test('a master that changes during every lesson is logged, and the memory left unknown', async (t) => {
  const { learn, kitchen, reservations } = learner('2026-01-02T02:00:00.000Z')
  const listOrders = kitchen.kitchen.listOrders
  kitchen.kitchen.listOrders = async (...args) => {
    reservations.epoch = `epoch-${kitchen.listed.length + 2}`
    return listOrders(...args)
  }
  const ctx = requestFrom(alice)
  await learn(ctx)
  t.same(reservations.rememberedIn, [])
  t.equal(kitchen.listed.length, 3)
  t.match(messages(ctx.lines, 'could not learn what Redis remembers; asking the kitchen about new keys meanwhile'), [{ level: 40, err: { message: 'Redis changed master during every lesson' } }])
})
