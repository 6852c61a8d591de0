import { randomUUID } from 'node:crypto'
import { measureBroker, type BrokerRun } from './broker-limits.js'
import { measureRedis, type RedisRun } from './redis-limits.js'
import type { Settings } from './settings.js'
import { figureOf } from './stats.js'

/** The machine's RabbitMQ and Redis on their own, before any service runs. */
export async function measureLimits(settings: Settings, log: (line: string) => void) {
  const namespace = `bench-${randomUUID()}`
  const brokerRuns: BrokerRun[] = []
  const redisRuns: RedisRun[] = []
  log(`raw RabbitMQ: ${settings.brokerMessages} messages per run, ${settings.brokerWindow} confirms outstanding`)
  for (let run = 1; run <= settings.runs; run++) {
    const taken = await measureBroker(namespace, run, settings.brokerMessages, settings.brokerWindow)
    brokerRuns.push(taken)
    log(`  run ${run}: ${taken.messagesPerSecond.toFixed(0)} msg/s; one at a time, confirm ${taken.confirmMedianMs.toFixed(1)} ms (p99 ${taken.confirmP99Ms.toFixed(1)})`)
  }
  log(`Redis: ${settings.redisRoundTrips} round trips, ${settings.redisPipelined} pipelined GETs per run`)
  for (let run = 1; run <= settings.runs; run++) {
    const taken = await measureRedis(`${namespace}:`, settings.redisRoundTrips, settings.redisPipelined)
    redisRuns.push(taken)
    log(`  run ${run}: PING ${taken.pingMedianUs.toFixed(0)} µs (p99 ${taken.pingP99Us.toFixed(0)}), GET ${taken.getMedianUs.toFixed(0)} µs (p99 ${taken.getP99Us.toFixed(0)}), pipelined ${taken.pipelinedOpsPerSecond.toFixed(0)} ops/s`)
  }
  const redisFigure = (pick: (run: RedisRun) => number) => figureOf(redisRuns.map(pick))
  return {
    broker: {
      messagesPerSecond: figureOf(brokerRuns.map((run) => run.messagesPerSecond)),
      confirmMedianMs: figureOf(brokerRuns.map((run) => run.confirmMedianMs)),
      confirmP99Ms: figureOf(brokerRuns.map((run) => run.confirmP99Ms)),
      runs: brokerRuns,
    },
    redis: {
      pingMedianUs: redisFigure((run) => run.pingMedianUs),
      pingP99Us: redisFigure((run) => run.pingP99Us),
      getMedianUs: redisFigure((run) => run.getMedianUs),
      getP99Us: redisFigure((run) => run.getP99Us),
      pipelinedOpsPerSecond: redisFigure((run) => run.pipelinedOpsPerSecond),
      runs: redisRuns,
    },
  }
}
