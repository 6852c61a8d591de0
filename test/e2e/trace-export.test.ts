import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import t, { type Test } from 'tap'
import { eventually } from '../support/isolation.js'
import { loadCustomer } from '../support/order-client.js'
import { startStack } from '../support/stack.js'

interface ExportedSpan {
  traceId: string
  name: string
}
interface TraceExport {
  resourceSpans: Array<{
    resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> }
    scopeSpans: Array<{ spans: ExportedSpan[] }>
  }>
}

/** A collector's OTLP/HTTP endpoint, reduced to what the test reads: which service sent which span. */
async function startCollector(t: Test) {
  const received: Array<{ service: string; span: ExportedSpan }> = []
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk.toString()))
    request.on('end', () => {
      const batch = JSON.parse(body) as TraceExport
      for (const { resource, scopeSpans } of batch.resourceSpans) {
        const service = resource.attributes.find((attribute) => attribute.key === 'service.name')?.value.stringValue ?? '?'
        for (const { spans } of scopeSpans) for (const span of spans) received.push({ service, span })
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    })
  })
  server.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  t.teardown(() => new Promise((resolve) => server.close(resolve)))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received }
}

t.test('with OTEL_EXPORTER_OTLP_ENDPOINT set, the three services send one order’s spans as one trace', async (t) => {
  const collector = await startCollector(t)
  // Batches every 100 ms rather than every 5 s, so the test does not wait for the default.
  const stack = await startStack({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_BSP_SCHEDULE_DELAY: '100' })
  t.teardown(() => stack.stop())

  const response = await fetch(`${stack.gateway.url}/api/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...loadCustomer },
    body: JSON.stringify({ items: [{ menuItemId: 'fries', quantity: 1 }] }),
  })
  t.equal(response.status, 202)
  const root = await eventually(async () => collector.received.find(({ service, span }) => service === 'gateway' && span.name === 'POST /api/orders'), 15_000, 'the gateway’s span')
  const services = await eventually(async () => {
    const inTrace = collector.received.filter(({ span }) => span.traceId === root.span.traceId)
    const seen = new Set(inTrace.map(({ service }) => service))
    return inTrace.some(({ span }) => span.name.endsWith('order-status')) && seen.size === 3 ? [...seen].sort() : undefined
  }, 15_000, 'spans of the trace from every service')
  t.same(services, ['gateway', 'kitchen', 'waiter'])
})
