import { SpanKind } from '@opentelemetry/api'
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base'
import t from 'tap'
import type { Order } from '@restaurant/contracts/orders'
import { createLogger } from '@restaurant/platform/runtime/logger'
import { startTracing } from '@restaurant/platform/runtime/tracing'
import { bearer, customer } from '../support/credentials.js'
import { startGateway } from '../support/gateway.js'
import { startInProcessSystem } from '../support/in-process-system.js'
import { eventually } from '../support/isolation.js'

// Tracing is turned on before anything is built, as the services' entry does when given an OTLP endpoint.
const exported = new InMemorySpanExporter()
const tracing = startTracing({ service: 'restaurant-test', exporter: exported })
t.teardown(() => tracing.shutdown())

interface LogLine {
  name: string
  msg: string
  reqId?: string
  trace_id?: string
}
const lines: LogLine[] = []
const logTo = (name: string) => createLogger({ name, level: 'info', pretty: false, destination: { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) } })

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId

t.test('one order is one trace: gateway → waiter → RabbitMQ → kitchen → store → status events → waiter', async (t) => {
  const system = await startInProcessSystem(t, {}, { log: logTo('services') })
  const waiterUrl = await system.app.listen({ host: '127.0.0.1', port: 0 })
  const { gateway } = await startGateway(t, waiterUrl, {}, { log: logTo('gateway') })
  const correlationId = `trace-test-${process.pid}`

  const placed = await gateway.inject({
    method: 'POST',
    url: '/api/orders',
    headers: { ...bearer(customer()), 'x-request-id': correlationId, 'idempotency-key': correlationId },
    payload: { items: [{ menuItemId: 'fries', quantity: 1 }] },
  })
  t.equal(placed.statusCode, 202)
  const { id } = placed.json<Order>()
  await system.waitForStatus(id, 'ready')
  const statusesApplied = (spans: ReadableSpan[]) => spans.filter((span) => span.name.startsWith('process') && span.name.endsWith('order-status')).length
  // accepted, cooking, ready: each one consumed by the waiter in the same trace.
  const spans = await eventually(async () => {
    const root = exported.getFinishedSpans().find((span) => span.kind === SpanKind.SERVER && span.attributes['http.request.method'] === 'POST' && !parentOf(span))
    const trace = exported.getFinishedSpans().filter((span) => span.spanContext().traceId === root?.spanContext().traceId)
    return root && statusesApplied(trace) === 3 ? trace : undefined
  }, 10_000, 'the whole trace')

  const traceId = spans[0]?.spanContext().traceId
  const ids = new Set(spans.map((span) => span.spanContext().spanId))
  const roots = spans.filter((span) => !parentOf(span))
  t.equal(roots.length, 1, 'one root: the request at the gateway')
  t.ok(
    spans.every((span) => !parentOf(span) || ids.has(parentOf(span) ?? '')),
    'every other span hangs from a span of the same trace',
  )
  const named = (prefix: string, kind?: SpanKind) => spans.filter((span) => span.name.startsWith(prefix) && (kind === undefined || span.kind === kind))
  const servers = spans.filter((span) => span.kind === SpanKind.SERVER)
  t.same(
    servers.map((span) => span.name).sort(),
    ['GET /internal/orders', 'GET /internal/orders/:id', 'POST /api/orders', 'POST /api/orders'],
    // A new Redis has not learnt yet that it remembers every key: the waiter asks the kitchen.
    "the gateway, the waiter it proxied to, and the kitchen's records the waiter looked up for the Idempotency-Key",
  )
  const kitchenReads = servers.filter((span) => span.attributes['http.route']?.toString().startsWith('/internal/'))
  const [publishPlaced] = named('publish order.placed', SpanKind.PRODUCER)
  const [cook] = named(`process ${system.run.namespace}.kitchen.orders`, SpanKind.CONSUMER)
  t.ok(publishPlaced && cook && parentOf(cook) === publishPlaced.spanContext().spanId, 'the kitchen continues the trace from the message headers')
  const storeCalls = named('ticket-store.')
  t.ok(storeCalls.filter((span) => isWithin(span, cook, spans)).length >= 3, 'the kitchen stores the ticket and each status while cooking')
  t.ok(storeCalls.every((span) => isWithin(span, cook, spans) || kitchenReads.some((read) => isWithin(span, read, spans))), 'and reads for the waiter')
  t.equal(named('publish order.status-changed', SpanKind.PRODUCER).length, 3, 'accepted, cooking, ready announced')
  t.ok(named('order-views.apply').length >= 4, 'the waiter applies each status to its view')

  const ofOrder = lines.filter((line) => line.reqId === correlationId)
  t.ok(ofOrder.some((line) => line.name === 'gateway' && line.msg === 'request completed'), 'the gateway logged the request')
  t.ok(ofOrder.some((line) => line.msg === 'order placed'), 'the waiter logged the order')
  t.same(
    ofOrder.filter((line) => line.trace_id !== traceId).map((line) => `${line.name}: ${line.msg}`),
    [],
    `all ${ofOrder.length} log lines of the order carry its trace id`,
  )
})

function isWithin(span: ReadableSpan, ancestor: ReadableSpan | undefined, spans: ReadableSpan[]): boolean {
  const byId = new Map(spans.map((candidate) => [candidate.spanContext().spanId, candidate]))
  for (let parent = parentOf(span); parent; parent = byId.get(parent) && parentOf(byId.get(parent) as ReadableSpan)) {
    if (parent === ancestor?.spanContext().spanId) return true
  }
  return false
}
