import { context, INVALID_SPAN_CONTEXT, isSpanContextValid, propagation, ProxyTracerProvider, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base'
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node'

export { SpanKind }

export interface TracingOptions {
  service: string
  /** Where spans go: an OTLP/HTTP endpoint such as `http://jaeger:4318`. */
  endpoint?: string
  /** Spans to this exporter instead, one by one (tests keep them in memory). */
  exporter?: SpanExporter
}

export interface Tracing {
  /** Sends the spans still buffered, then stops. */
  shutdown(): Promise<void>
}

/** What the global tracer provider hands to when nobody registered one: OpenTelemetry's no-op. */
const noTracing = new ProxyTracerProvider().getDelegate()

/**
 * Turns tracing on for this process when given somewhere to send spans; otherwise the OpenTelemetry API
 * stays a no-op and nothing is instrumented. W3C `traceparent` is the propagation format everywhere.
 * The provider lives where OpenTelemetry keeps it, in its global API; shutting down gives that back.
 */
export function startTracing({ service, endpoint, exporter }: TracingOptions): Tracing {
  if (tracingEnabled() || (!endpoint && !exporter)) return { shutdown: async () => undefined }
  const processor = exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint}/v1/traces` }))
  const provider = new NodeTracerProvider({ resource: resourceFromAttributes({ 'service.name': service }), spanProcessors: [processor] })
  provider.register()
  return {
    async shutdown() {
      await provider.shutdown()
      trace.disable()
      propagation.disable()
      context.disable()
    },
  }
}

/** Whether a tracer provider is registered, so that spans are recorded. */
export function tracingEnabled(): boolean {
  const global = trace.getTracerProvider()
  return (global instanceof ProxyTracerProvider ? global.getDelegate() : global) !== noTracing
}

const tracer = () => trace.getTracer('restaurant')

/**
 * Runs `work` in a span (a child of the active one, or of `parent`), ending it when the work settles and
 * recording a failure. Without tracing it only runs `work`.
 */
export function inSpan<T>(name: string, options: { kind?: SpanKind; attributes?: Attributes; parent?: Context }, work: (span: Span) => T): T {
  if (!tracingEnabled()) return work(trace.wrapSpanContext(INVALID_SPAN_CONTEXT))
  return tracer().startActiveSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes }, options.parent ?? context.active(), (span) => {
    const failed = (err: unknown) => {
      span.recordException(err instanceof Error ? err : String(err))
      span.setStatus({ code: SpanStatusCode.ERROR })
      span.end()
      throw err
    }
    try {
      const result = work(span)
      if (!(result instanceof Promise)) {
        span.end()
        return result
      }
      return result.then((value: unknown) => {
        span.end()
        return value
      }, failed) as T
    } catch (err) {
      return failed(err)
    }
  })
}

/** Adds the active trace context (`traceparent`, `tracestate`) to outgoing headers, HTTP or AMQP. */
export function withTraceContext<H extends Record<string, unknown>>(headers: H): H {
  propagation.inject(context.active(), headers)
  return headers
}

/** The trace context a message or request arrived with, to continue its trace. */
export function traceContextOf(headers: Record<string, unknown> | undefined): Context {
  return propagation.extract(context.active(), headers ?? {})
}

/** Each method of `target` in a span named `<component>.<method>` (a store, a cache). */
export function withSpans<T extends object>(component: string, target: T): T {
  if (!tracingEnabled()) return target
  return new Proxy(target, {
    get(object, key, receiver) {
      const value: unknown = Reflect.get(object, key, receiver)
      if (typeof value !== 'function' || typeof key !== 'string') return value
      return (...args: unknown[]) => inSpan(`${component}.${key}`, {}, () => Reflect.apply(value, object, args))
    },
  })
}

/** The ids pino adds to every log line written inside a span, so that logs and traces meet. */
export function traceIds(): { trace_id?: string; span_id?: string } {
  const spanContext = trace.getSpan(context.active())?.spanContext()
  return spanContext && isSpanContextValid(spanContext) ? { trace_id: spanContext.traceId, span_id: spanContext.spanId } : {}
}
