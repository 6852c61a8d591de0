import { tallyTotal, type Tally } from './counter-deltas.js'
import type { Goal } from './results.js'
import { figureOf, ratioOf, type Figure } from './stats.js'

/** The runs at one rate, ours (bench/fixed-rates.ts) or the peer's: CPU ms per order by process and `machine`. */
export interface RateRuns {
  ratePerSecond: number
  runs: readonly { cpuMsPerOrder: Tally }[]
}

/** Orders per CPU-second at one rate, ours and the peer's, and ours over the peer's run by run. */
export interface PeerComparison {
  ratePerSecond: number
  /** From the processes of each side (services, RabbitMQ, and Redis for ours), the load generator left out. */
  ours: Figure
  peer: Figure
  oursOverPeer: Figure
  /** From the whole machine's busy time, the load generator left out: blind to nothing else the machine runs. */
  oursMachine: Figure
  peerMachine: Figure
  oursOverPeerMachine: Figure
}

export const PEER_TARGET = 2

const loadGenerator = (cpuMsPerOrder: Tally) => cpuMsPerOrder['load generator'] ?? 0

/** CPU ms per order of the system measured: every watched process but the load generator, which both share. */
export const systemCpuMs = (cpuMsPerOrder: Tally) => tallyTotal(cpuMsPerOrder) - (cpuMsPerOrder.machine ?? 0) - loadGenerator(cpuMsPerOrder)

export const machineCpuMs = (cpuMsPerOrder: Tally) => (cpuMsPerOrder.machine ?? Number.NaN) - loadGenerator(cpuMsPerOrder)

export const ordersPerCpuSecond = (cpuMsPerOrder: number) => (cpuMsPerOrder > 0 ? 1000 / cpuMsPerOrder : Number.NaN)

const throughput = (rate: RateRuns, cpuMs: (cpuMsPerOrder: Tally) => number) => figureOf(rate.runs.map((run) => ordersPerCpuSecond(cpuMs(run.cpuMsPerOrder))))

/** At every rate both measured: orders per CPU-second and their ratio, run by run (round i of ours with round i of the peer). */
export function compareWithPeer(ours: readonly RateRuns[], peer: readonly RateRuns[]): PeerComparison[] {
  return ours.flatMap((oursAtRate) => {
    const peerAtRate = peer.find((candidate) => candidate.ratePerSecond === oursAtRate.ratePerSecond)
    if (!peerAtRate) return []
    const [oursSystem, peerSystem] = [throughput(oursAtRate, systemCpuMs), throughput(peerAtRate, systemCpuMs)]
    const [oursMachine, peerMachine] = [throughput(oursAtRate, machineCpuMs), throughput(peerAtRate, machineCpuMs)]
    return [{
      ratePerSecond: oursAtRate.ratePerSecond,
      ours: oursSystem,
      peer: peerSystem,
      oursOverPeer: ratioOf(oursSystem, peerSystem),
      oursMachine,
      peerMachine,
      oursOverPeerMachine: ratioOf(oursMachine, peerMachine),
    }]
  })
}

export const peerGoalName = (ratePerSecond: number) => `ours ≥ 2 × the peer pipeline's orders per CPU-second (${ratePerSecond} orders/s)`

export function peerGoals(comparisons: readonly PeerComparison[]): Goal[] {
  return comparisons.map(({ ratePerSecond, oursOverPeer }) => ({
    name: peerGoalName(ratePerSecond),
    value: oursOverPeer.median,
    target: `≥ ${PEER_TARGET}`,
    met: oursOverPeer.median >= PEER_TARGET,
    workload: 'pipeline',
  }))
}
