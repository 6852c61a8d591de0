import t from 'tap'
import { deltaOf, figuresByName, lessIdle, perUnit, tallyTotal } from '../../bench/counter-deltas.js'

t.test('a delta is what each counter added; a counter first seen after the start counts from zero', async (t) => {
  t.same(deltaOf({ gateway: 10, waiter: 4 }, { gateway: 12.5, waiter: 4, set: 7 }), { gateway: 2.5, waiter: 0, set: 7 })
})

t.test('the idle pace, scaled to the length of the work window, is taken off the work', async (t) => {
  const idle = { before: { redis: 100 }, after: { redis: 110 }, seconds: 20 }
  // 0.5 a second while quiet: 15 of the 40 added over 30 s were background.
  t.same(lessIdle({ before: { redis: 200 }, after: { redis: 240 }, seconds: 30 }, idle), { redis: 25 })
})

t.test('a counter that did not move while quiet keeps its whole delta', async (t) => {
  const idle = { before: { gateway: 1 }, after: { gateway: 1 }, seconds: 20 }
  t.same(lessIdle({ before: { gateway: 1, kitchen: 0 }, after: { gateway: 3, kitchen: 2 }, seconds: 22 }, idle), { gateway: 2, kitchen: 2 })
})

t.test('per unit, seconds become milliseconds with a scale; with no unit of work there is no figure', async (t) => {
  t.same(perUnit({ waiter: 0.6 }, 300, 1000), { waiter: 2 })
  t.ok(Number.isNaN(perUnit({ waiter: 0.6 }, 0).waiter))
})

t.test('the counters of a tally add up', async (t) => {
  t.equal(tallyTotal({ get: 1, set: 2.5 }), 3.5)
})

t.test('each name gets its median and range over the runs, zero where a run lacked it', async (t) => {
  const figures = figuresByName([{ get: 1, eval: 3 }, { get: 3 }, { get: 2, eval: 1 }])
  t.same(figures.get, { median: 2, min: 1, max: 3, runs: [1, 3, 2] })
  t.same(figures.eval, { median: 1, min: 0, max: 3, runs: [3, 0, 1] })
})
