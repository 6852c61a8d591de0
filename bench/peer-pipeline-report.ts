import { show } from './figure-format.js'
import { PEER_TARGET, type PeerComparison } from './peer-pipeline-comparison.js'
import type { PeerPipelineFigures } from './peer-pipeline.js'

const processOrder = ['order api', 'kitchen worker', 'rabbitmq', 'load generator', 'machine']

function setupLine(figures: PeerPipelineFigures): string {
  return (
    'The peer pipeline (bench/servers/peer-pipeline; how it is built and what it leaves out: see the notes below): an Express 5 order API ' +
    'publishing each order on a confirm channel to a quorum queue and answering 202 after the confirm, a kitchen worker (prefetch 50) ' +
    'writing it to SQLite (WAL) and publishing `cooking` and `ready` (confirmed) before its ack, the API recording each status in its ' +
    `own SQLite file. Same load generator, rates, CPU meter and idle subtraction as ours; ${figures.runs} runs per rate of ${figures.seconds} s ` +
    `after ${figures.warmUpSeconds} s of warm-up, taken right after ours in the same sitting (not alternated). A run ends when the API's store ` +
    'holds every accepted order as `ready`.'
  )
}

function cpuTable(figures: PeerPipelineFigures): string {
  const lines = [
    `| orders/s | ready per run | ${processOrder.map((name) => `${name} CPU ms`).join(' | ')} | 202 of sent | latency p50 / p99 (ms) |`,
    `|---|---|${processOrder.map(() => '---|').join('')}---|---|`,
  ]
  for (const rate of figures.rates) {
    const cells = processOrder.map((name) => show(rate.cpuMsPerOrder[name], 2))
    const flag = rate.refused + rate.unanswered > 0 ? ` ⚠ ${rate.refused} refused, ${rate.unanswered} unanswered` : ''
    lines.push(`| ${rate.ratePerSecond} | ${show(rate.ordersReady, 0)} | ${cells.join(' | ')} | ${rate.accepted} of ${rate.sent}${flag} | ${show(rate.latencyP50Ms, 1)} / ${show(rate.latencyP99Ms, 1)} |`)
  }
  return lines.join('\n')
}

function comparisonTable(comparisons: readonly PeerComparison[]): string {
  const lines = [
    '| orders/s | ours, orders per CPU-second | peer | ours / peer | whole machine: ours / peer (orders per CPU-second) | ratio |',
    '|---|---|---|---|---|---|',
  ]
  for (const c of comparisons) {
    const verdict = c.oursOverPeer.median >= PEER_TARGET ? 'met' : '**missed**'
    lines.push(
      `| ${c.ratePerSecond} | ${show(c.ours)} | ${show(c.peer)} | ${show(c.oursOverPeer, 2)} (target ≥ ${PEER_TARGET}: ${verdict}) | ` +
        `${show(c.oursMachine)} / ${show(c.peerMachine)} | ${show(c.oursOverPeerMachine, 2)} |`,
    )
  }
  return lines.join('\n')
}

/** The peer pipeline's section: what it is, its CPU per order by process, and orders per CPU-second against ours. */
export function renderPeerPipeline(figures: PeerPipelineFigures, comparisons: readonly PeerComparison[]): string {
  const basis =
    'Orders per CPU-second = 1000 ÷ CPU ms per order; the first columns add up each side\'s processes (its services, RabbitMQ, and Redis for ours: the peer uses none), ' +
    'the load generator left out as it is the same for both; ratios are taken run by run (round i of ours with round i of the peer).'
  return [setupLine(figures), cpuTable(figures), basis, comparisonTable(comparisons)].join('\n\n')
}
