import type { Stack } from '../test/support/stack.js'
import { startStack } from '../test/support/stack.js'
import { brokerAndRedis, readCpu } from './cpu-meter.js'
import { runInRounds } from './http-rounds.js'
import { rssFigures, sampleRss, type Watched } from './rss.js'
import { measurePipeline, type PipelineFigures } from './pipeline.js'
import { openQueues } from './queues.js'
import { latencyFiguresOf, measureReadyLatency, type LatencyRun } from './ready-latency.js'
import { followReadyOrders, type ReadyOrders } from './ready-orders.js'
import { startReferenceServers } from './reference-servers.js'
import { getHello, placeOrderDirectly, placeOrderThrough } from './requests.js'
import { serviceEnv, type Settings } from './settings.js'
import { figureOf, ratioOf, type Figure } from './stats.js'

type Log = (line: string) => void

/**
 * What is measured on one stack: intake against its references (alternately, with the services' memory
 * under that load), the pipeline, and POST → ready latency at half load.
 */
export async function measureServices(settings: Settings, brokerMessagesPerSecond: Figure, log: Log) {
  const cleanups: (() => Promise<unknown> | void)[] = []
  try {
    log('starting the services and the reference servers')
    const stack = await startStack(serviceEnv)
    cleanups.push(() => stack.stop())
    const watched = [stack.gateway, stack.waiter, stack.kitchen].map((service) => ({ name: service.name, pid: service.child.pid ?? 0 }))
    const machine = brokerAndRedis()
    const intake = await measureIntake(stack, watched, machine, settings, log, cleanups)

    // The board's staff stream, opened only now: the intake runs did without it.
    const ready = await followReadyOrders(stack.waiter.url)
    cleanups.push(ready.close)
    log(`pipeline: ${settings.pipelineOrders} orders per run, 1 and 2 kitchens alternately`)
    const pipeline = await measurePipeline(stack, ready, { runs: settings.runs, orders: settings.pipelineOrders, connections: settings.connections, machine, log })
    const latency = await measureLatency(stack, ready, Math.max(1, Math.round(pipeline.oneKitchen.ordersPerSecond.median / 2)), settings, log)

    const fraction = (figures: PipelineFigures) => figureOf(figures.runs.map((run) => (run.publishesPerOrder * run.ordersPerSecond) / brokerMessagesPerSecond.median))
    return {
      ...intake.results,
      pipeline: { ...pipeline, fractionOfBroker: { oneKitchen: fraction(pipeline.oneKitchen), twoKitchens: fraction(pipeline.twoKitchens) } },
      latency,
      rssUnderLoad: intake.underLoad,
    }
  } finally {
    // Everything started is stopped, whatever failed: one failed clean-up does not skip the others.
    for (const cleanup of cleanups.reverse()) await Promise.resolve().then(cleanup).catch((err: unknown) => log(`clean-up failed: ${String(err)}`))
  }
}

/** Intake through ours, straight to the waiter and through the peer, and the bare servers, in rounds. */
async function measureIntake(stack: Stack, watched: Watched[], machine: Watched[], settings: Settings, log: Log, cleanups: (() => Promise<unknown> | void)[]) {
  const servers = await startReferenceServers(stack.waiter.url)
  cleanups.push(servers.stop)
  const queues = await openQueues(stack.run.namespace)
  cleanups.push(queues.close)
  // The peer stands where our gateway stands: its CPU counts as the gateway's in its runs.
  const cpuWatched = [...watched, { name: 'gateway', pid: servers.peer.pid }, ...machine]
  log(`HTTP, ${settings.runs} rounds of ${settings.httpSeconds} s at ${settings.connections} connections (the kitchen's backlog is dropped between runs)`)
  const sampler = sampleRss(watched, 1000)
  const targets = [
    getHello('fastify-hello', servers.fastifyHello.url),
    getHello('bare-proxy', servers.bareProxy.url),
    placeOrderThrough('ours', stack.gateway.url),
    placeOrderDirectly(stack.waiter.url),
    placeOrderThrough('peer', servers.peer.url),
  ]
  const http = await runInRounds(targets, {
    runs: settings.runs,
    connections: settings.connections,
    seconds: settings.httpSeconds,
    between: queues.drainOrders,
    readCpu: () => readCpu(cpuWatched),
    log,
  }).finally(sampler.stop)
  await queues.drainOrders()
  const requestsPerSecond = (name: string) => http[name]?.requestsPerSecond ?? figureOf([])
  return {
    results: {
      http,
      ratios: {
        oursOverDirect: ratioOf(requestsPerSecond('ours'), requestsPerSecond('direct')),
        oursOverPeer: ratioOf(requestsPerSecond('ours'), requestsPerSecond('peer')),
        oursOverBareProxy: ratioOf(requestsPerSecond('ours'), requestsPerSecond('bare-proxy')),
      },
    },
    underLoad: rssFigures(watched, sampler.samples),
  }
}

/** POST → ready at a fixed rate (half the pipeline's, with one kitchen), open loop, `runs` times. */
async function measureLatency(stack: Stack, ready: ReadyOrders, rate: number, settings: Settings, log: Log) {
  log(`POST → ready at ${rate} orders/s (half the pipeline's rate with 1 kitchen), open loop, ${settings.latencySeconds} s per run`)
  const runs: LatencyRun[] = []
  for (let run = 1; run <= settings.runs; run++) {
    const taken = await measureReadyLatency(stack.gateway.url, [stack.waiter.internalUrl, stack.kitchen.internalUrl], ready, rate, settings.latencySeconds)
    runs.push(taken)
    const { publishConfirm, placedToAccepted, placedToReady } = taken.meanMs
    log(
      `  run ${run}: p50 ${taken.p50Ms.toFixed(1)} ms, p99 ${taken.p99Ms.toFixed(1)} ms over ${taken.orders} orders; means: confirm ${publishConfirm.toFixed(1)} ms, ` +
        `placed → accepted ${placedToAccepted.toFixed(1)} ms, → ready ${placedToReady.toFixed(1)} ms${taken.refused ? `, ⚠ ${taken.refused} refused` : ''}`,
    )
  }
  return { ...latencyFiguresOf(runs), ratePerSecond: rate }
}
