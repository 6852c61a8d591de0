import { pino } from 'pino'
import t from 'tap'
import type { Inbound } from '../../src/messaging/delivery.js'
import { retryQueueFor, setAsideQueueFor } from '../../src/messaging/queue-policy.js'
import { acked, handedBack, retried, setAside, type Settlement } from '../../src/messaging/settlement.js'
import { createBusMetrics, createMetricsRegistry } from '../../src/runtime/metrics.js'
import { keptLogs } from './bus-harness.js'
import { fakeTimer } from './fake-timer.js'

/** A settlement on a fake inbound that records how it was settled and parked, and counts outcomes in a registry. */
function settlement(options: { headers?: Record<string, unknown>; parkFails?: boolean; channelClosed?: boolean } = {}) {
  const settled: string[] = []
  const parked: Array<{ queue: string; headers: Record<string, unknown> }> = []
  const settle = (how: string) => () => {
    if (options.channelClosed) throw new Error('Channel closed')
    settled.push(how)
  }
  const inbound: Inbound = {
    content: Buffer.from('{}'),
    headers: options.headers ?? {},
    correlationId: 'corr',
    messageId: 'id',
    redelivered: false,
    ack: settle('ack'),
    reject: settle('reject'),
    requeue: settle('requeue'),
    async park(queue, headers) {
      if (options.parkFails) throw new Error('no confirm')
      parked.push({ queue, headers })
    },
  }
  const { destination, logged } = keptLogs()
  const registry = createMetricsRegistry('test')
  const timer = fakeTimer()
  const under: Settlement = { inbound, queue: 'q', setAsideMs: 1_000, log: pino({}, destination), timer, metrics: createBusMetrics(registry) }
  const counted = async (outcome: string) => (await registry.getSingleMetric('amqp_deliveries_total')?.get())?.values.find((v) => v.labels.outcome === outcome)?.value ?? 0
  return { under, settled, parked, logged, slept: timer.slept, counted }
}

t.test('an ack on a closed channel is logged, not thrown, and still counted', async (t) => {
  const { under, settled, logged, counted } = settlement({ channelClosed: true })
  acked(under)
  t.same(settled, [])
  t.equal(logged('could not settle the delivery; the broker will redeliver it'), 1)
  t.equal(await counted('acked'), 1)
})

t.test('a retried message keeps its headers and counts one retry more', async (t) => {
  const { under, settled, parked, counted } = settlement({ headers: { 'x-retries': 1, trace: 'x' } })
  await retried(under, new Error('fails'), 1, 100)
  t.same(parked, [{ queue: retryQueueFor('q', 100), headers: { 'x-retries': 2, trace: 'x' } }])
  t.same(settled, ['ack'])
  t.equal(await counted('retried'), 1)
})

t.test('a message set aside again counts the times it was set aside', async (t) => {
  const { under, settled, parked, logged } = settlement({ headers: { 'x-set-aside': 2 } })
  await setAside(under, new Error('the store is away'))
  t.same(parked, [{ queue: setAsideQueueFor('q', 1_000), headers: { 'x-set-aside': 3 } }])
  t.same(settled, ['ack'])
  t.equal(logged('message set aside to come back later'), 1)
})

t.test('a message that cannot be set aside is requeued after a pause and counted as requeued', async (t) => {
  const { under, settled, slept, counted } = settlement({ parkFails: true })
  await setAside(under, new Error('the store is away'))
  t.same(settled, ['requeue'])
  t.same(slept, [1_000])
  t.equal(await counted('requeued'), 1)
  t.equal(await counted('set_aside'), 0)
})

t.test('a message handed back is requeued untouched, its reason logged', async (t) => {
  const { under, settled, parked, logged } = settlement()
  handedBack(under, 'draining')
  t.same(settled, ['requeue'])
  t.same(parked, [])
  t.equal(logged('message handed back to the queue'), 1)
})
