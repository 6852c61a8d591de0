import type { Test } from 'tap'
import { buildOrder } from '@restaurant/contracts/testing'
import type { TicketStore } from '../../src/use-cases/ticket-store.js'
import { raceRounds, startRacer } from './racer-process.js'
import type { StoreSpec } from './store-spec.js'

const ROUNDS = 50
const RACERS = ['racer-a', 'racer-b']

interface RoundResult {
  round: number
  moved: boolean
  claimed: boolean
}

/**
 * Two kitchen processes on one store: in each round both try the same transition of the same order and the same
 * claim number at the same moment (each waits for the parent's `go`). Exactly one must win each, every round.
 */
export function raceContract(t: Test, makeSharedStore: (t: Test) => Promise<{ store: TicketStore; spec: StoreSpec }>): void {
  t.test(`two processes racing ${ROUNDS} times for one transition and one claim: exactly one wins each, every time`, async (t) => {
    const { store, spec } = await makeSharedStore(t)
    const orders = Array.from({ length: ROUNDS }, () => buildOrder())
    for (const order of orders) await store.insertIfAbsent({ order })
    const racers = RACERS.map((name) => startRacer(t, 'store-racer.ts', [JSON.stringify(spec), name, JSON.stringify(orders.map((order) => order.id))]))
    const { results: rounds, exitCodes } = await raceRounds<RoundResult>(racers, ROUNDS)
    t.strictSame(exitCodes, racers.map(() => 0), 'both racers closed the store and exited')

    const winners = (won: (result: RoundResult) => boolean) => rounds.map((results) => results.filter(won).length)
    t.strictSame(winners((result) => result.moved), orders.map(() => 1), 'one transition won per round')
    t.strictSame(winners((result) => result.claimed), orders.map(() => 1), 'one claim won per round')
    const stored = await Promise.all(orders.map(async (order) => (await store.get(order.id))?.order))
    const moversOf = rounds.map((results) => RACERS[results.findIndex((result) => result.moved)])
    t.strictSame(stored.map((order) => order && [order.status, order.version, order.table]), moversOf.map((name) => ['accepted', 2, name]), "the winner's order is stored")
    const claims = await Promise.all(orders.map((order) => store.claims(order.id)))
    const claimersOf = rounds.map((results) => RACERS[results.findIndex((result) => result.claimed)])
    t.strictSame(claims.map((list) => list.map((claim) => claim.holder)), claimersOf.map((name) => [name]), "the winner's claim is stored")
    t.comment(`transitions won by racer-a in ${moversOf.filter((name) => name === 'racer-a').length} of ${ROUNDS} rounds`)
  })

  t.test(`a holder finishing a unit while a taker closes its claim, ${ROUNDS} times in two processes: the unit is settled once, as the holder was told`, async (t) => {
    const { store, spec } = await makeSharedStore(t)
    const orders = Array.from({ length: ROUNDS }, () => buildOrder())
    for (const order of orders) {
      await store.insertIfAbsent({ order })
      await store.insertClaim({ orderId: order.id, number: 1, holder: 'holder/1', kitchen: 'holder', startedAt: new Date().toISOString(), lease: 'holder/lease' })
      await store.recordUnit(order.id, 1, { kitchen: 'holder', unit: 0, menuItemId: 'classic-burger', startedAt: new Date().toISOString() })
    }
    const racers = ['holder', 'taker'].map((role) => startRacer(t, 'settlement-racer.ts', [JSON.stringify(spec), role, JSON.stringify(orders.map((order) => order.id))]))
    const { results: rounds, exitCodes } = await raceRounds<{ finished: boolean }>(racers, ROUNDS)
    t.strictSame(exitCodes, racers.map(() => 0), 'both racers closed the store and exited')
    const told = rounds.map(([holder]) => holder?.finished === true)
    const witnessed = await Promise.all(orders.map(async (order) => (await store.cookedUnits(order.id)).map((unit) => ('endedAt' in unit ? 'finished' : 'abandonedAt' in unit ? 'abandoned' : 'open'))))
    t.strictSame(witnessed, told.map((finished) => [finished ? 'finished' : 'abandoned']), 'finished where the holder was told so, abandoned by the close everywhere else')
    t.comment(`the holder's finish stood in ${told.filter(Boolean).length} of ${ROUNDS} rounds`)
  })
}
