import type { Test } from 'tap'
import { buildMenuItem } from '@restaurant/contracts/testing'
import type { MenuStore } from '../../src/use-cases/menu-store.js'
import { raceRounds, startRacer } from './racer-process.js'
import type { MenuStoreSpec } from './store-spec.js'

const ROUNDS = 50
const RACERS = ['racer-a', 'racer-b']

interface RoundResult {
  round: number
  won: boolean
}

/**
 * Two kitchen processes on one menu store: in each round both write the same item's next version at the same
 * moment (each waits for the parent's `go`). Exactly one must win every round, and the history must hold each
 * version once, without a gap, as its winner wrote it.
 */
export function menuRaceContract(t: Test, makeSharedStore: (t: Test) => Promise<{ store: MenuStore; spec: MenuStoreSpec }>): void {
  t.test(`two processes writing one item's next version ${ROUNDS} times at once: exactly one wins each, and the history has every version once`, async (t) => {
    const { store, spec } = await makeSharedStore(t)
    const item = buildMenuItem({ id: 'raced' })
    await store.write(item)
    const racers = RACERS.map((name) => startRacer(t, 'menu-store-racer.ts', [JSON.stringify(spec), name, item.id]))
    const { results: rounds, exitCodes } = await raceRounds<RoundResult>(racers, ROUNDS)
    t.strictSame(exitCodes, racers.map(() => 0), 'both racers closed the store and exited')

    t.strictSame(rounds.map((results) => results.filter((result) => result.won).length), rounds.map(() => 1), 'one writer won per round')
    const winners = rounds.map((results) => RACERS[results.findIndex((result) => result.won)])
    const history = await store.history(item.id)
    t.strictSame(history.map((state) => [state.version, state.changedBy]), [[1, 'seed'], ...winners.map((name, round) => [round + 2, name])], "each version once, as its winner wrote it")
    t.strictSame((await store.items()).map((state) => [state.version, state.changedBy]), [[ROUNDS + 1, winners.at(-1)]], 'the current state is the last version')
    t.comment(`versions won by racer-a in ${winners.filter((name) => name === 'racer-a').length} of ${ROUNDS} rounds`)
  })
}
