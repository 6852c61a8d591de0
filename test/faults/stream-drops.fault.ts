import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { bearer, customer, signedIdentity, staff } from '../support/credentials.js'
import { openAndDrop, type Drop, type DropMoment, type DropOutcome } from '../support/dropped-streams.js'
import { metricValue } from '../support/metrics.js'
import { eventually } from '../support/isolation.js'
import { loadCustomer, placeOrders } from '../support/order-client.js'
import { openOrders } from '../support/scoring.js'
import { readEventStream, type ReceivedEvent } from '../support/sse-client.js'
import { startStack, type Stack } from '../support/stack.js'

const ORDERS = 200
const COOKING = 150
const chicken = { items: [{ menuItemId: 'grilled-chicken', quantity: 1 }] }
const EVENTS = ORDERS * 4
const CONCURRENT_DROPS = 20
const RELEASE_WAIT_MS = 10_000
const UNHANDLED = 'unhandled rejection; carrying on'

// 1 ms steps cover an opening on a quiet waiter (a few to tens of ms); the longer ones, an opening that queues
// behind the others' replays, as it does during the storm.
const moments: DropMoment[] = [
  { kind: 'on connect' },
  { kind: 'mid-request' },
  { kind: 'request written' },
  ...[...Array.from({ length: 41 }, (_, ms) => ms), 50, 75, 100, 150, 200, 300, 500, 750, 1_000, 1_500].map((ms) => ({ kind: 'after ms' as const, ms })),
  { kind: 'first bytes' },
  { kind: 'headers' },
  { kind: 'first event' },
]

interface Target {
  name: string
  baseUrl: string
  path: (index: number) => string
  /** The headers of a request for `path`. */
  headers: (path: string) => Record<string, string>
}

/** Both routes, each through the gateway and straight to the waiter; the stream of every order replays it all. */
function targetsOf(stack: Stack, orderIds: string[]): Target[] {
  const everyOrder = () => '/api/orders/events'
  const fromStart = { 'last-event-id': '0-0' }
  const oneOrder = (index: number) => `/api/orders/${orderIds[index % orderIds.length]}/events`
  return [
    { name: 'gateway, every order (staff)', baseUrl: stack.gateway.url, path: everyOrder, headers: () => ({ ...bearer(staff), ...fromStart }) },
    { name: 'waiter, every order (staff)', baseUrl: stack.waiter.url, path: everyOrder, headers: (path) => ({ ...signedIdentity(staff, 'GET', path), ...fromStart }) },
    { name: 'gateway, one order (owner)', baseUrl: stack.gateway.url, path: oneOrder, headers: () => loadCustomer },
    { name: 'waiter, one order (owner)', baseUrl: stack.waiter.url, path: oneOrder, headers: (path) => signedIdentity(customer('load-customer'), 'GET', path) },
  ]
}

/** Runs `work` over `items`, `concurrency` at a time; the results keep the items' order. */
async function inPool<I, R>(items: I[], concurrency: number, work: (item: I, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = []
  let next = 0
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) results[index] = await work(items[index] as I, index)
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return results
}

/** The stream of every order from its start, resuming as a client does each time the waiter ends it. */
async function replayAll(waiterUrl: string): Promise<{ events: ReceivedEvent[]; connections: number }> {
  const events: ReceivedEvent[] = []
  let connections = 0
  while (events.length < EVENTS && connections < 20) {
    connections += 1
    const done = (more: ReceivedEvent[]) => events.length + more.length >= EVENTS
    events.push(...(await readEventStream(`${waiterUrl}/api/orders/events`, signedIdentity(staff, 'GET', '/api/orders/events'), { lastEventId: events.at(-1)?.id ?? '0-0', done, timeoutMs: 10_000 })).events)
  }
  return { events, connections }
}

/** Polls until the waiter holds no stream, or the time is up; returns the last value read. */
async function openStreamsOnceSettled(waiterInternalUrl: string): Promise<number | undefined> {
  const deadline = Date.now() + RELEASE_WAIT_MS
  let open = await metricValue(waiterInternalUrl, 'sse_open_streams')
  for (; open !== 0 && Date.now() < deadline; open = await metricValue(waiterInternalUrl, 'sse_open_streams')) await sleep(100)
  return open
}

const loggedUnhandled = (output: string) =>
  output.split('\n').filter((line) => {
    try {
      return (JSON.parse(line) as { msg?: unknown }).msg === UNHANDLED
    } catch {
      return false
    }
  }).length

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

t.test('hundreds of event streams dropped at every moment of their opening, through the gateway and straight to the waiter: the waiter keeps running, every stream is released, nothing goes unhandled', async (t) => {
  const stack = await startStack({ KITCHEN_SPEED_FACTOR: '0.05' })
  t.teardown(stack.stop)
  const records = await placeOrders(() => stack.gateway.url, ORDERS, { concurrency: 10, keyPrefix: 'drops', deadlineMs: Date.now() + 60_000 })
  t.equal(records.filter((record) => record.id).length, ORDERS, 'every order accepted')
  // Every one of them ready first: the replay below is all history, read at once.
  await eventually(async () => ((await openOrders(records, stack.kitchen.url)).total === 0 ? true : undefined), 60_000, 'every order ready')
  const replay = await replayAll(stack.waiter.url)
  t.equal(replay.events.length, EVENTS, 'the stream of every order holds every event of every order: each drop of it interrupts a long replay')
  t.comment(`the stream of every order from 0-0: ${replay.events.length} events, read in ${replay.connections} connections`)
  t.equal(replay.connections, 1, 'a client that reads its replay is never dropped as a slow one, however long the replay')
  // The kitchen busy while the streams drop: half a second per chicken, four at a time, so events keep coming.
  const cooking = await placeOrders(() => stack.gateway.url, COOKING, { concurrency: 20, keyPrefix: 'drops-cooking', deadlineMs: Date.now() + 60_000, body: chicken })
  const orderIds = cooking.flatMap((record) => (record.id ? [record.id] : []))
  const open = await openOrders(cooking, stack.kitchen.url)
  t.comment(`orders open when the drops begin: ${JSON.stringify(open)}`)
  t.ok((open.total ?? 0) >= 100, 'at least 100 orders between 202 and ready')

  const waiterPid = stack.waiter.child.pid
  const gatewayPid = stack.gateway.child.pid
  const targets = targetsOf(stack, orderIds)
  // Targets innermost: the four combinations are dropped side by side, at the same moments.
  const drops = moments.flatMap((moment) => [false, true].flatMap((reset) => targets.map((target) => ({ target, drop: { moment, reset } satisfies Drop }))))
  let peak = 0
  let storming = true
  const sampling = (async () => {
    for (; storming; await sleep(100)) peak = Math.max(peak, (await metricValue(stack.waiter.internalUrl, 'sse_open_streams')) ?? 0)
  })()
  const started = Date.now()
  const outcomes = await inPool(drops, CONCURRENT_DROPS, ({ target, drop }, index) =>
    openAndDrop(target.baseUrl, target.path(index), { accept: 'text/event-stream', ...target.headers(target.path(index)) }, drop),
  )
  const stormMs = Date.now() - started
  storming = false
  await sampling

  const dropped = drops.map((entry, index) => ({ ...entry, outcome: outcomes[index] as DropOutcome }))
  const perKind = new Map<string, number>()
  for (const { drop } of dropped) perKind.set(drop.moment.kind, (perKind.get(drop.moment.kind) ?? 0) + 1)
  t.comment(`${dropped.length} drops in ${stormMs} ms, ${CONCURRENT_DROPS} at a time, half FIN, half RST; by moment: ${[...perKind].map(([kind, count]) => `${kind} ${count}`).join(', ')}`)
  for (const target of targets) {
    const mine = dropped.filter((entry) => entry.target === target).map((entry) => entry.outcome)
    const answered = mine.flatMap((outcome) => (outcome.firstByteMs === undefined ? [] : [outcome.firstByteMs]))
    t.comment(`${target.name}: ${mine.length} drops, ${mine.length - answered.length} before any byte of the response, ${answered.length} during it (median first byte after ${median(answered)} ms)`)
    t.ok(answered.length > 0 && answered.length < mine.length, `${target.name}: dropped both before the response and during it`)
  }
  const wrong = dropped.filter(({ outcome }) => outcome.missed || (outcome.status !== undefined && outcome.status !== 200))
  t.same(wrong.map(({ target, drop, outcome }) => `${target.name} ${JSON.stringify(drop)}: ${JSON.stringify(outcome)}`), [], 'every stream that answered answered 200, and every drop came at its moment')

  t.equal(stack.waiter.child.pid, waiterPid, 'the waiter is the same process')
  t.equal(stack.waiter.child.exitCode, null, 'the waiter has not exited')
  t.equal(stack.gateway.child.pid, gatewayPid, 'the gateway is the same process')
  t.equal(stack.gateway.child.exitCode, null, 'the gateway has not exited')
  t.equal((await fetch(`${stack.waiter.internalUrl}/health`).catch(() => undefined))?.status, 200, 'the waiter answers /health')
  const openStreams = await openStreamsOnceSettled(stack.waiter.internalUrl)
  t.equal(openStreams, 0, 'every stream the waiter opened is released')
  const unhandled: Record<string, number | undefined> = {}
  for (const service of ['waiter', 'gateway'] as const) {
    // A service that died answers nothing, and a missing counter is a failure too: undefined is not 0.
    unhandled[service] = await metricValue(stack[service].internalUrl, 'process_unhandled_rejections_total')
    t.equal(unhandled[service], 0, `${service}: unhandled rejections are counted, and none went unhandled`)
    t.equal(loggedUnhandled(stack.outputs(service)), 0, `${service}: no unhandled rejection logged`)
  }
  t.comment(`sse_open_streams: peak ${peak} while dropping, ${openStreams} after; process_unhandled_rejections_total: waiter ${unhandled.waiter}, gateway ${unhandled.gateway}`)

  const [after] = await placeOrders(() => stack.gateway.url, 1, { concurrency: 1, keyPrefix: 'after-drops', deadlineMs: Date.now() + 10_000 })
  const followed = await readEventStream(`${stack.gateway.url}/api/orders/${after?.id}/events`, loadCustomer, { done: (events) => events.some((event) => event.event === 'ready') })
  t.same(followed.events.map((event) => event.event), ['placed', 'accepted', 'cooking', 'ready'], 'an order placed after the drops is followed to ready through the gateway')
})
