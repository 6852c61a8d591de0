import fastifyMetricsModule from 'fastify-metrics'
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { Order } from '@restaurant/contracts/orders'
import type { HttpServer, RouteOf } from '../http/server.js'

// CommonJS with `exports.default`: under ESM the plugin is the default export's `default`.
const fastifyMetrics = fastifyMetricsModule.default

/**
 * The service's own Prometheus registry (services that share a process, as in tests, keep theirs apart),
 * with the runtime's metrics: event-loop delay, memory, CPU, garbage collection, handles.
 */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry()
  registry.setDefaultLabels({ service })
  collectDefaultMetrics({ register: registry })
  return registry
}

/**
 * A latency histogram of every route of `app` by method, route and status (fastify-metrics), kept in `registry`;
 * the internal port serves it (`buildInternalServer`).
 */
export async function measureRoutes(app: HttpServer, registry: Registry, routeOf?: RouteOf): Promise<void> {
  await app.register(fastifyMetrics, {
    endpoint: null,
    defaultMetrics: { enabled: false },
    routeMetrics: {
      enabled: { histogram: true, summary: false },
      // Not only the routes it saw registered one method at a time: the proxy's routes take several at once.
      // Requests matching no route are labelled `__unknown__`, so the label stays bounded.
      registeredRoutesOnly: false,
      // The summary is off, but the plugin creates it all the same: in this registry, not the global one.
      overrides: {
        histogram: { registers: [registry] },
        summary: { registers: [registry] },
        labels: { getRouteLabel: (request) => routeOf?.(request) ?? request.routeOptions.url ?? '__unknown__' },
      },
    },
  })
}

/** How many messages wait in one queue, by the part it plays for the queue it serves. */
export interface QueueDepth {
  queue: string
  role: 'work' | 'retry' | 'set_aside' | 'dead_letter'
  messages: number
}

/**
 * What the bus counts: every delivery by queue and outcome, redeliveries, how long confirms take, and, read
 * from the broker at each scrape, the depths of the queues it consumes with their retry tiers and dead letters.
 */
export function createBusMetrics(registry: Registry) {
  const depths: { read?: () => Promise<QueueDepth[]> } = {}
  queueDepthGauge(registry, () => depths.read?.())
  return {
    /** Where the depths come from: the bus, once connected. */
    watchQueues(read: () => Promise<QueueDepth[]>) {
      depths.read = read
    },
    deliveries: new Counter({
      name: 'amqp_deliveries_total',
      help: 'Messages consumed, by queue and outcome: acked, retried, set_aside, handed_back, requeued, dead_lettered or malformed',
      labelNames: ['queue', 'outcome'] as const,
      registers: [registry],
    }),
    waiting: new Gauge({
      name: 'amqp_deliveries_waiting',
      help: 'Deliveries held while a dependency their handler needs (Redis, the store) is out of reach',
      labelNames: ['queue'] as const,
      registers: [registry],
    }),
    redeliveries: new Counter({
      name: 'amqp_redeliveries_total',
      help: 'Messages the broker delivered again after an earlier delivery was not acked',
      labelNames: ['queue'] as const,
      registers: [registry],
    }),
    confirmSeconds: new Histogram({
      name: 'amqp_publish_confirm_seconds',
      help: 'Time from a publish to its broker confirm',
      labelNames: ['routing_key'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  }
}
export type BusMetrics = ReturnType<typeof createBusMetrics>

/** Read at each scrape, so that it shows the queues as they are, not as they were at the last delivery. */
function queueDepthGauge(registry: Registry, read: () => Promise<QueueDepth[]> | undefined) {
  return new Gauge({
    name: 'amqp_queue_messages',
    help: 'Messages ready in the queues this service consumes, their retry tiers, set-aside queues and dead letters, when scraped',
    labelNames: ['queue', 'role'] as const,
    registers: [registry],
    async collect() {
      this.reset()
      for (const { queue, role, messages } of (await read()) ?? []) this.set({ queue, role }, messages)
    },
  })
}

/**
 * How orders move: each status reached, the time from `placed` to it (from the order's own history), and
 * the cooking time of ready ones. Returns the function to call with an order each time it moves.
 */
export function createOrderMetrics(registry: Registry, prefix: string) {
  const statuses = new Counter({ name: `${prefix}_order_statuses_total`, help: 'Order status changes seen, by status (an order announced again after a redelivery counts again)', labelNames: ['status'] as const, registers: [registry] })
  const sincePlaced = new Histogram({
    name: `${prefix}_order_seconds_since_placed`,
    help: 'Time from an order being placed to each later status',
    labelNames: ['status'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    registers: [registry],
  })
  const cooking = new Histogram({
    name: `${prefix}_cooking_seconds`,
    help: 'Time from the first item of an order started to the last one done',
    buckets: [0.01, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [registry],
  })
  return (order: Order) => {
    statuses.inc({ status: order.status })
    if (order.result) cooking.observe(order.result.totalPrepMs / 1000)
    const reached = order.history.find((entry) => entry.status === order.status)
    if (order.status !== 'placed' && reached) sincePlaced.observe({ status: order.status }, (Date.parse(reached.at) - Date.parse(order.placedAt)) / 1000)
  }
}
