import { SpanStatusCode, trace } from '@opentelemetry/api'
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base'
import t from 'tap'
import { inSpan, startTracing, traceContextOf, traceIds, tracingEnabled, withSpans, withTraceContext } from '../../src/runtime/tracing.js'

// Tracing is process-wide (OpenTelemetry's global API): these tests run one after the other, each shutting it down.
t.test('without an endpoint or an exporter tracing stays off and work runs outside any span', async (t) => {
  const tracing = startTracing({ service: 'test' })
  t.equal(tracingEnabled(), false)
  t.equal(inSpan('nothing', {}, (span) => span.isRecording()), false)
  const store = { get: async () => 1 }
  t.equal(withSpans('store', store), store, 'not wrapped')
  await tracing.shutdown()
})

t.test('with an exporter, work runs in spans that end with it, failures recorded, and shutdown turns tracing off', async (t) => {
  const exporter = new InMemorySpanExporter()
  const tracing = startTracing({ service: 'test', exporter })
  t.equal(tracingEnabled(), true)
  const ignored = new InMemorySpanExporter()
  startTracing({ service: 'again', exporter: ignored })

  t.equal(await inSpan('works', { attributes: { answer: 42 } }, async () => traceIds().trace_id !== undefined), true, 'log lines inside carry the trace id')
  await t.rejects(inSpan('fails', {}, async () => Promise.reject(new Error('boom'))), { message: 'boom' })
  const store = withSpans('store', { get: async (id: string) => id.toUpperCase() })
  t.equal(await store.get('a'), 'A')

  const spans = exporter.getFinishedSpans()
  t.same(spans.map((span) => span.name), ['works', 'fails', 'store.get'])
  t.equal(spans[0]?.attributes.answer, 42)
  t.equal(spans[1]?.status.code, SpanStatusCode.ERROR)
  t.same(ignored.getFinishedSpans(), [], 'a second start while on changes nothing')
  await tracing.shutdown()
  t.equal(tracingEnabled(), false, 'off once shut down')
})

t.test('the trace context travels in headers: what one side injects, the other continues', async (t) => {
  const exporter = new InMemorySpanExporter()
  const tracing = startTracing({ service: 'test', exporter })
  t.teardown(() => tracing.shutdown())
  const headers = inSpan('sender', {}, () => withTraceContext<Record<string, unknown>>({}))
  t.match(headers.traceparent, /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/)
  inSpan('receiver', { parent: traceContextOf(headers) }, () => undefined)

  const [sender, receiver] = exporter.getFinishedSpans()
  t.equal(receiver?.spanContext().traceId, sender?.spanContext().traceId, 'one trace')
  t.equal(receiver?.parentSpanContext?.spanId, sender?.spanContext().spanId, 'the receiver hangs from the sender')
  t.equal(trace.getActiveSpan(), undefined, 'nothing left active')
})
