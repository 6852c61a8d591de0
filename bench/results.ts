import type { BrokerRun } from './broker-limits.js'
import { cpuPerOrderGoals } from './cpu-goals.js'
import { capacityAndWorkGoals, type CapacityAndWork } from './capacity-and-work.js'
import type { FixedRateFigures } from './fixed-rates.js'
import { gatewayAloneGoals, type GatewayAloneFigures } from './gateway-alone-figures.js'
import type { ProfileSummary } from './profiles.js'
import type { HttpFigures } from './http-rounds.js'
import type { Machine } from './machine.js'
import { peerGoals, type PeerComparison } from './peer-pipeline-comparison.js'
import type { PeerPipelineFigures } from './peer-pipeline.js'
import type { PipelineFigures } from './pipeline.js'
import type { LatencyFigures } from './ready-latency.js'
import type { RedisRun } from './redis-limits.js'
import type { Settings } from './settings.js'
import type { Figure } from './stats.js'
import type { SteadyFigures } from './measure-memory.js'

/** Every figure of one `pnpm bench`, as docs/benchmarks.json holds it. */
export interface Results {
  startedAt: string
  wallSeconds: number
  settings: Settings
  machine: Machine
  /** By target: fastify-hello, bare-proxy, ours, direct, peer. */
  http: Record<string, HttpFigures>
  ratios: { oursOverDirect: Figure; oursOverPeer: Figure; oursOverBareProxy: Figure }
  broker: { messagesPerSecond: Figure; confirmMedianMs: Figure; confirmP99Ms: Figure; runs: BrokerRun[] }
  redis: { pingMedianUs: Figure; pingP99Us: Figure; getMedianUs: Figure; getP99Us: Figure; pipelinedOpsPerSecond: Figure; runs: RedisRun[] }
  pipeline: {
    oneKitchen: PipelineFigures
    twoKitchens: PipelineFigures
    /** Messages per order × orders/s ÷ raw broker messages/s, per pipeline run. */
    fractionOfBroker: { oneKitchen: Figure; twoKitchens: Figure }
  }
  latency: LatencyFigures & { ratePerSecond: number }
  /** CPU and Redis work per order at fixed rates, open loop, the load generator a process of its own. */
  fixedRates: FixedRateFigures
  /** The peer pipeline at the same rates, right after ours, and orders per CPU-second against ours. */
  peerPipeline?: { figures: PeerPipelineFigures; comparison: PeerComparison[] }
  /** Ours, a bare Fastify hop and the Express peer in front of one stub upstream: CPU per request at fixed rates. */
  gatewayAlone?: GatewayAloneFigures
  memory: { idle: Record<string, Figure>; underLoad: Record<string, Figure>; steady: SteadyFigures }
  capacity: CapacityAndWork['capacity']
  workCounts: CapacityAndWork['workCounts']
  dataSize: CapacityAndWork['dataSize']
  goals: Goal[]
  /** By workload that missed a goal, then by service. */
  profiles: Record<string, Record<string, ProfileSummary>>
}

export interface Goal {
  name: string
  value: number
  target: string
  met: boolean
  /** Which workload to profile when the goal is missed. */
  workload: 'intake' | 'pipeline' | 'memory'
}

export function goalsOf(results: Omit<Results, 'goals' | 'profiles' | 'wallSeconds'>): Goal[] {
  const ours = results.http.ours
  const goals: Goal[] = [
    { name: 'intake: ours / direct', value: results.ratios.oursOverDirect.median, target: '≥ 0.45', met: results.ratios.oursOverDirect.median >= 0.45, workload: 'intake' },
    { name: 'intake: ours p99 (ms) at 50 connections', value: ours?.p99Ms.median ?? Number.NaN, target: '< 50', met: (ours?.p99Ms.median ?? Infinity) < 50, workload: 'intake' },
    { name: 'POST → ready p99 (ms) at half load', value: results.latency.p99Ms.median, target: '< 100', met: results.latency.p99Ms.median < 100, workload: 'pipeline' },
  ]
  // Issue 18 dropped "ours ≥ 3 × the peer gateway" (both stood before one waiter) and "a fraction of the raw broker"
  // (it rewarded sending more messages): CPU per order and the gateway alone replace them.
  goals.push(...cpuPerOrderGoals(results.fixedRates))
  goals.push(...peerGoals(results.peerPipeline?.comparison ?? []))
  goals.push(...gatewayAloneGoals(results.gatewayAlone))
  goals.push(...capacityAndWorkGoals(results))
  for (const [service, growth] of Object.entries(results.memory.steady.growthPercent)) {
    goals.push({ name: `RSS growth of the ${service} over the steady run (%)`, value: growth, target: '≤ 10', met: growth <= 10, workload: 'memory' })
  }
  return goals
}

