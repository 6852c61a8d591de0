import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import amqp from 'amqplib'
import { openDatabase } from '@restaurant/platform/stores/sqlite-database'
import { AMQP_URL } from '../test/support/isolation.js'
import { figuresByName } from './counter-deltas.js'
import { listenerOf } from './cpu-meter.js'
import { loadFiguresOf, type LoadFigures } from './load-figures.js'
import type { FixedRateFigures } from './fixed-rates.js'
import { compareWithPeer } from './peer-pipeline-comparison.js'
import { measurePeerAtRate, type PeerContext, type PeerRun } from './peer-pipeline-run.js'
import { startServerProcess, type ServerProcess } from './server-process.js'
import { peerQueues, peerStoreFiles, readyCountQuery, statusSchema } from './servers/peer-pipeline/peer-setup.js'
import type { Settings } from './settings.js'
import { figureOf, type Figure } from './stats.js'

export interface PeerRateFigures extends LoadFigures {
  ratePerSecond: number
  ordersReady: Figure
  cpuMsPerOrder: Record<string, Figure>
  runs: PeerRun[]
}

export interface PeerPipelineFigures {
  runs: number
  seconds: number
  warmUpSeconds: number
  rates: PeerRateFigures[]
}

function figuresOf(ratePerSecond: number, runs: PeerRun[]): PeerRateFigures {
  const over = (pick: (run: PeerRun) => number) => figureOf(runs.map(pick))
  return {
    ratePerSecond,
    ordersReady: over((run) => run.ordersReady),
    cpuMsPerOrder: figuresByName(runs.map((run) => run.cpuMsPerOrder)),
    ...loadFiguresOf(runs.map((run) => run.load)),
    runs,
  }
}

/** The peer's two processes on a queue prefix and data folder of their own; `stop` removes all three. */
async function startPeer() {
  const prefix = `bench-peer-${randomUUID().slice(0, 8)}`
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-peer-'))
  const env = { AMQP_URL, PEER_PREFIX: prefix, PEER_DATA_DIR: dataDir }
  const started: ServerProcess[] = []
  const stop = async () => {
    await Promise.all(started.map((server) => server.stop()))
    const connection = await amqp.connect(AMQP_URL)
    const channel = await connection.createChannel()
    for (const queue of Object.values(peerQueues(prefix))) await channel.deleteQueue(queue)
    await connection.close()
    await rm(dataDir, { recursive: true, force: true })
  }
  try {
    started.push(await startServerProcess('peer-pipeline/kitchen-worker', env))
    started.push(await startServerProcess('peer-pipeline/order-api', env))
  } catch (error) {
    await stop()
    throw error
  }
  const [worker, api] = started as [ServerProcess, ServerProcess]
  return { worker, api, statusFile: peerStoreFiles(dataDir).orders, stop }
}

const describe = (round: number, run: PeerRun) =>
  `  peer round ${round} ${run.ratePerSecond}/s: ${run.load.accepted} of ${run.load.sent} accepted, ${run.ordersReady} ready in ${run.windowSeconds.toFixed(1)} s; ` +
  `machine ${(run.cpuMsPerOrder.machine ?? Number.NaN).toFixed(2)} CPU ms/order; p99 ${run.load.latencyMs.p99.toFixed(0)} ms`

/**
 * The peer pipeline (bench/servers/peer-pipeline) at the fixed-rate runs' rates, rounds and lengths, measured as
 * ours: run right after ours, in the same sitting.
 */
export async function measurePeerPipeline(settings: Settings, log: (line: string) => void): Promise<PeerPipelineFigures> {
  log(`peer pipeline (Express + amqplib + SQLite) at ${settings.rates.join(', ')} orders/s, ${settings.runs} rounds of ${settings.rateSeconds} s`)
  const peer = await startPeer()
  const store = openDatabase(peer.statusFile, statusSchema)
  const countReady = store.prepare(readyCountQuery).pluck()
  const runs = new Map<number, PeerRun[]>(settings.rates.map((rate) => [rate, []]))
  try {
    const watched = [{ name: 'order api', pid: peer.api.pid }, { name: 'kitchen worker', pid: peer.worker.pid }, listenerOf('rabbitmq', AMQP_URL)]
    const context: PeerContext = { apiUrl: peer.api.url, watched, readyCount: () => Number(countReady.get()), warmUpSeconds: settings.warmUpSeconds, seconds: settings.rateSeconds, log }
    for (let round = 1; round <= settings.runs; round++) {
      for (const rate of settings.rates) {
        const run = await measurePeerAtRate(context, rate)
        runs.get(rate)?.push(run)
        log(describe(round, run))
      }
    }
  } finally {
    store.close()
    await peer.stop()
  }
  return { runs: settings.runs, seconds: settings.rateSeconds, warmUpSeconds: settings.warmUpSeconds, rates: [...runs].map(([rate, taken]) => figuresOf(rate, taken)) }
}

/** The peer pipeline measured after ours, and orders per CPU-second against ours at each rate. */
export async function measurePeerAgainst(ours: FixedRateFigures, settings: Settings, log: (line: string) => void) {
  const figures = await measurePeerPipeline(settings, log)
  return { figures, comparison: compareWithPeer(ours.rates, figures.rates) }
}
