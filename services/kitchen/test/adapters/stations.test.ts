import t from 'tap'
import { createStations } from '../../src/adapters/stations.js'
import type { Booking } from '../../src/domain/cooking.js'
import type { Stations } from '../../src/use-cases/ports.js'
import { createFakeClock } from '../support/fake-clock.js'
import { booking, burger, capacity, fries, starts, unit } from '../support/schedule-builders.js'

/** A kitchen whose fryer is busy with order `x` from 0 to 4000. */
async function busyKitchen() {
  const clock = createFakeClock()
  const stations = createStations(capacity, clock)
  await stations.cook(booking('x', 0), { maxWaitMs: 0 })
  return { clock, stations }
}
const patiently = { maxWaitMs: 60_000 }

function track<T>(promise: Promise<T>) {
  const state: { settled: boolean; value?: T; error?: unknown } = { settled: false }
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error: unknown) => Object.assign(state, { settled: true, error }),
  )
  return state
}

/** Order `id`, accepted at `acceptedAt`, asks for its stations; the state says whether and how it was answered. */
function waitToCook(stations: Stations, id: string, acceptedAt: number, options: { maxWaitMs: number } = patiently) {
  return track(stations.cook(booking(id, acceptedAt), options))
}

/** A call to cook whose signal the test aborts, with the reason as the error's message. */
function cookUntilAborted(stations: Stations, order: Booking) {
  const controller = new AbortController()
  const wait = track(stations.cook(order, { ...patiently, signal: controller.signal }))
  return { wait, abort: (reason: string) => controller.abort(new Error(reason)) }
}

t.test('a station with no capacity cannot cook, and nothing stays booked', async (t) => {
  const salad = booking('a', 0, [unit('salad', 3000)])
  const stations = createStations({ ...capacity, salad: 0 }, createFakeClock())
  await t.rejects(stations.cook(salad, patiently), /station salad has no capacity/)
  t.equal(stations.waiting(), 0)
  t.same(starts(await stations.cook(booking('b', 1), patiently)), [0])
})

t.test('an order whose station is free starts at once and keeps its plan until it is finished', async (t) => {
  const { stations } = await busyKitchen()
  const plan = stations.planOf('x')
  t.same(starts(plan), [0])
  t.equal(await stations.cook(booking('x', 0), patiently), plan, 'a committed order gets its plan back')
  stations.finish('x')
  t.equal(stations.planOf('x'), undefined)
})

t.test('a later order waits for the slots an earlier one booked, even once that one is finished', async (t) => {
  const { clock, stations } = await busyKitchen()
  stations.finish('x')
  const later = waitToCook(stations, 'b', 1)
  await clock.advance(3999)
  t.equal(later.settled, false)
  await clock.advance(1)
  t.same(starts(later.value), [4000])
})

t.test('an order accepted earlier keeps its place ahead of one booked before it', async (t) => {
  const { clock, stations } = await busyKitchen()
  const late = waitToCook(stations, 'late', 200)
  const early = waitToCook(stations, 'early', 100)
  await clock.advance(4000)
  t.same(starts(early.value), [4000])
  t.equal(late.settled, false)
  await clock.advance(4000)
  t.same(starts(late.value), [8000])
})

t.test('releasing a waiting order lets the next order on that station take its turn', async (t) => {
  const { clock, stations } = await busyKitchen()
  const first = waitToCook(stations, 'a', 1)
  const next = waitToCook(stations, 'b', 2)
  await clock.advance(1000)
  stations.release('a')
  await clock.advance(3000)
  t.same(first, { settled: true, value: undefined })
  t.same(starts(next.value), [4000])
  t.equal(stations.waiting(), 0)
})

t.test('releasing a cooking order lets the next order on that station start at once', async (t) => {
  const { clock, stations } = await busyKitchen()
  const next = waitToCook(stations, 'b', 1)
  await clock.advance(1000)
  stations.release('x')
  await clock.advance(0)
  t.same(starts(next.value), [1000])
  t.equal(stations.planOf('x'), undefined)
})

t.test('a committed order keeps its slots when an earlier waiting order is released', async (t) => {
  const { clock, stations } = await busyKitchen()
  const waiting = waitToCook(stations, 'w', 100)
  const committed = await stations.cook(booking('k', 200, [burger, fries]), patiently)
  t.same(starts(committed), [0, 8000])
  stations.release('w')
  const next = waitToCook(stations, 'n', 300)
  await clock.advance(4000)
  t.same(waiting, { settled: true, value: undefined })
  t.equal(stations.planOf('k'), committed)
  t.same(starts(committed), [0, 8000])
  t.same(starts(next.value), [4000], 'the freed gap goes to the next order')
})

t.test('an order whose start is further away than the bound is set aside and its slots freed', async (t) => {
  const { clock, stations } = await busyKitchen()
  await t.rejects(stations.cook(booking('a', 1), { maxWaitMs: 1000 }), { code: 'SET_ASIDE' })
  t.equal(stations.waiting(), 0)
  const next = waitToCook(stations, 'b', 2)
  await clock.advance(4000)
  t.same(starts(next.value), [4000])
})

t.test('an order pushed beyond its bound by one accepted earlier is set aside while it waits', async (t) => {
  const { clock, stations } = await busyKitchen()
  const late = waitToCook(stations, 'late', 200, { maxWaitMs: 5000 })
  const early = waitToCook(stations, 'early', 100)
  await clock.advance(0)
  t.match(late.error, { code: 'SET_ASIDE' })
  t.equal(stations.waiting(), 1)
  await clock.advance(4000)
  t.same(starts(early.value), [4000])
})

t.test('an aborted wait frees its booking', async (t) => {
  const { clock, stations } = await busyKitchen()
  const aborted = cookUntilAborted(stations, booking('a', 1))
  const next = waitToCook(stations, 'b', 2)
  aborted.abort('shutting down')
  await clock.advance(0)
  t.match(aborted.wait.error, { message: 'shutting down' })
  t.equal(stations.waiting(), 1)
  await clock.advance(4000)
  t.same(starts(next.value), [4000])
})

t.test('an order booked twice is booked once', async (t) => {
  const { clock, stations } = await busyKitchen()
  const first = waitToCook(stations, 'a', 1)
  const second = waitToCook(stations, 'a', 1)
  const next = waitToCook(stations, 'b', 2)
  t.equal(stations.waiting(), 2)
  await clock.advance(8000)
  t.same(starts(first.value), [4000])
  t.equal(second.value, first.value)
  t.same(starts(next.value), [8000])
})

t.test('a shared booking stays while another call still waits on it', async (t) => {
  const { clock, stations } = await busyKitchen()
  const aborted = cookUntilAborted(stations, booking('a', 1))
  const other = waitToCook(stations, 'a', 1)
  aborted.abort('gone')
  await clock.advance(4000)
  t.match(aborted.wait.error, { message: 'gone' })
  t.same(starts(other.value), [4000])
})
