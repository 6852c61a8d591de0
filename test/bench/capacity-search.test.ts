import t from 'tap'
import { highestHeld, nextRate, type CapacityStep } from '../../bench/capacity-search.js'

const plan = { start: 100, max: 1600, resolution: 50 }

/** The rates the search tries when every rate up to `capacity` holds. */
function search(capacity: number): { tried: number[]; found: number } {
  const steps: CapacityStep[] = []
  for (let rate = nextRate(steps, plan); rate !== undefined; rate = nextRate(steps, plan)) steps.push({ ratePerSecond: rate, held: rate <= capacity })
  return { tried: steps.map((step) => step.ratePerSecond), found: highestHeld(steps) }
}

t.test('it doubles from the start until a rate misses, then bisects to the resolution', async (t) => {
  t.same(search(620), { tried: [100, 200, 400, 800, 600, 700, 650], found: 600 })
  t.same(search(300), { tried: [100, 200, 400, 300, 350], found: 300 })
})

t.test('it stops at the maximum when every rate holds', async (t) => {
  t.same(search(5000), { tried: [100, 200, 400, 800, 1600], found: 1600 })
})

t.test('no rate held: the capacity is 0, found by bisecting below the start', async (t) => {
  t.same(search(0), { tried: [100, 50], found: 0 })
})

t.test('a rate that misses below one that held does not send the search back up', async (t) => {
  const steps = [{ ratePerSecond: 100, held: true }, { ratePerSecond: 200, held: false }, { ratePerSecond: 150, held: false }]
  t.equal(nextRate(steps, plan), undefined)
})
