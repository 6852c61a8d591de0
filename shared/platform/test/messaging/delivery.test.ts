import { pino } from 'pino'
import t from 'tap'
import { Compile } from 'typebox/compile'
import type { MessageHandler } from '../../src/messaging/bus.js'
import { createDelivery, type Inbound } from '../../src/messaging/delivery.js'
import { retryQueueFor, setAsideQueueFor } from '../../src/messaging/queue-policy.js'
import { DependencyUnavailableError } from '../../src/runtime/errors.js'
import { Greeting, keptLogs } from './bus-harness.js'
import { fakeTimer } from './fake-timer.js'

const policy = { retryDelaysMs: [100], setAsideMs: 1_000, maxHoldMs: 0 }

/** One delivery of `body` through a handler, on a fake inbound that records how it was settled and parked. */
async function deliver(handler: MessageHandler<{ greeting: string }>, options: { parkFails?: boolean; headers?: Record<string, unknown>; onGiveUp?: () => Promise<void>; aborted?: boolean } = {}) {
  const settled: string[] = []
  const parked: Array<{ queue: string; headers: Record<string, unknown> }> = []
  const { destination, logged } = keptLogs()
  const timer = fakeTimer()
  const inbound: Inbound = {
    content: Buffer.from(JSON.stringify({ greeting: 'hi' })),
    headers: options.headers ?? {},
    correlationId: 'corr',
    messageId: 'id',
    redelivered: false,
    ack: () => void settled.push('ack'),
    reject: () => void settled.push('reject'),
    requeue: () => void settled.push('requeue'),
    async park(queue, headers) {
      if (options.parkFails) throw new Error('no confirm')
      parked.push({ queue, headers })
    },
  }
  const spec = { queue: 'q', check: Compile(Greeting), handler, onGiveUp: options.onGiveUp }
  const signal = AbortSignal.abort()
  const signals = options.aborted ? { signal, channelClosed: signal } : { signal: new AbortController().signal, channelClosed: new AbortController().signal }
  await createDelivery(spec, policy, { log: pino({}, destination), system: 'test', timer })(inbound, signals)
  return { settled, parked, logged, slept: timer.slept }
}

const fails = async () => {
  throw new Error('fails')
}

t.test('a failed message whose copy cannot be parked is requeued after a pause, not acked', async (t) => {
  const { settled, parked, logged, slept } = await deliver(fails, { parkFails: true })
  t.same(settled, ['requeue'])
  t.same(parked, [])
  t.same(slept, [1_000], 'after a pause, so that it does not loop hot')
  t.equal(logged('message could not be parked; requeued after a pause'), 1)
})

t.test('a failed message is parked in its next retry tier with its retries counted, then acked', async (t) => {
  const { settled, parked } = await deliver(fails)
  t.same(parked, [{ queue: retryQueueFor('q', 100), headers: { 'x-retries': 1 } }])
  t.same(settled, ['ack'])
})

t.test('past the last tier a failure the report cannot make is logged, and the message is dead-lettered all the same', async (t) => {
  const { settled, logged } = await deliver(fails, { headers: { 'x-retries': 1 }, onGiveUp: fails })
  t.same(settled, ['reject'])
  t.equal(logged('could not report the failure'), 1)
})

t.test('past the last tier a report that must wait sets the message aside instead of dead-lettering it', async (t) => {
  const { settled, parked } = await deliver(fails, { headers: { 'x-retries': 1 }, onGiveUp: () => Promise.reject(new DependencyUnavailableError('the store')) })
  t.same(parked.map((p) => p.queue), [setAsideQueueFor('q', 1_000)])
  t.same(parked[0]?.headers, { 'x-retries': 1, 'x-set-aside': 1 })
  t.same(settled, ['ack'])
})

t.test('a failure once the signal is aborted hands the message back untouched', async (t) => {
  const { settled, parked, logged } = await deliver(fails, { aborted: true })
  t.same(settled, ['requeue'])
  t.same(parked, [])
  t.equal(logged('message handed back to the queue'), 1)
})
