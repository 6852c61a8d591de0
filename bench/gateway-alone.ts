import { REDIS_URL } from '../test/support/isolation.js'
import { listenerOf } from './cpu-meter.js'
import { compareGateways, roundOrder, targetFiguresOf, type GatewayAloneFigures } from './gateway-alone-figures.js'
import { measureTargetAtRate, quietWindow, type GatewayRun } from './gateway-alone-run.js'
import { startGatewayTargets } from './gateway-alone-targets.js'
import type { Settings } from './settings.js'

const describe = (round: number, run: GatewayRun) =>
  `  round ${round} ${run.target} ${run.ratePerSecond}/s: ${run.load.accepted} of ${run.load.sent} answered 202, ` +
  `hop ${(run.cpuMsPerRequest.hop ?? Number.NaN).toFixed(3)} CPU ms/request, stub ${(run.cpuMsPerRequest.stub ?? Number.NaN).toFixed(3)}; ` +
  `p50 ${run.load.latencyMs.p50.toFixed(1)} ms, p99 ${run.load.latencyMs.p99.toFixed(1)} ms`

/**
 * Our gateway, a bare Fastify hop and the Express peer in front of one stub upstream, each sent `POST /api/orders`
 * at fixed rates, open loop: per round, a quiet window for all processes at once, then every rate, the targets
 * taking turns going first.
 */
export async function measureGatewayAlone(settings: Settings, log: (line: string) => void): Promise<GatewayAloneFigures> {
  const { rates, seconds, warmUpSeconds } = settings.gateway
  log(`gateway alone: ours, a bare Fastify hop and the Express peer in front of a stub, at ${rates.join(', ')} req/s, ${settings.runs} rounds of ${seconds} s`)
  const servers = await startGatewayTargets()
  const runs: GatewayRun[] = []
  try {
    const redis = listenerOf('redis', REDIS_URL)
    for (let round = 1; round <= settings.runs; round++) {
      const idle = await quietWindow([...servers.targets, servers.stub, redis], seconds)
      for (const rate of rates) {
        for (const target of roundOrder(servers.targets, round)) {
          const run = await measureTargetAtRate(target, rate, { stub: servers.stub, redis, idle, warmUpSeconds, seconds })
          runs.push(run)
          log(describe(round, run))
        }
      }
    }
  } finally {
    await servers.stop()
  }
  const targets = rates.flatMap((rate) => servers.targets.map(({ name }) => targetFiguresOf(name, rate, runs.filter((run) => run.target === name && run.ratePerSecond === rate))))
  return { runs: settings.runs, seconds, warmUpSeconds, targets, comparisons: compareGateways(targets) }
}
