/**
 * `pnpm bench`: the figures of docs/benchmarks.md and docs/benchmarks.json. Needs RabbitMQ and Redis on
 * 127.0.0.1; starts everything else (the three services as processes on an isolated namespace and key prefix, the
 * reference servers, the fixed-rate load generator) and removes it all at the end. Never part of `npm test`.
 *
 * Profiles (`pnpm bench -- --profile quick`): `full` (the default) measures everything and writes the report, in
 * about an hour and a quarter (ten minutes the steady run, about twelve the fixed-rate runs and as many the peer
 * pipeline's, about fifteen the gateway alone, about thirteen capacity, work counts and data size); `quick` runs only
 * the fixed-rate CPU and Redis work per order (100 and 200 orders/s, 3 runs each, about 5 minutes), capacity with one
 * kitchen (1–3 minutes) and the gateway alone (about 2 minutes), and prints them.
 *
 * Knobs (environment variables), with their defaults:
 *   BENCH_RUNS=5 (quick: 3)      runs of every measurement (figures are the median and range)
 *   BENCH_RATES=100,200,400 (quick: 100,200)  order rates of the fixed-rate runs, open loop
 *   BENCH_RATE_SECONDS=20        length of each fixed-rate run (and of the quiet window read before it)
 *   BENCH_WARMUP_SECONDS=5       warm-up at the run's rate before each fixed-rate run
 *   BENCH_STORE=sqlite           the fixed-rate runs' store: sqlite, or mongo (at MONGO_URL, e.g. the machine's FerretDB)
 *   BENCH_PEER_PIPELINE=on (quick: off)  the peer pipeline at the same rates, right after ours (as long again as them)
 *   BENCH_CONNECTIONS=50         concurrent connections of every HTTP measurement
 *   BENCH_HTTP_SECONDS=3         length of each HTTP run (intake, peer, bare servers)
 *   BENCH_PIPELINE_ORDERS=1500   orders of each pipeline run (1 and 2 kitchens)
 *   BENCH_LATENCY_SECONDS=4      length of each open-loop POST → ready run at half the pipeline's rate
 *   BENCH_BROKER_MESSAGES=15000  messages of each raw RabbitMQ run
 *   BENCH_BROKER_WINDOW=1000     publisher confirms outstanding (and consumer prefetch) in that run
 *   BENCH_REDIS_ROUND_TRIPS=3000 timed PINGs and GETs of each Redis run
 *   BENCH_REDIS_PIPELINED=50000  GETs of each pipelined Redis run
 *   BENCH_STEADY_SECONDS=600     length of the steady run that watches memory (at least 10)
 *   BENCH_STEADY_RATE=50         orders per second of the steady run
 *   BENCH_SAMPLE_SECONDS=10      RSS sampling period of the steady run
 *   BENCH_CPU_PROFILES=auto      CPU-profile the workloads of missed targets: auto, always or never
 *   BENCH_OUT_DIR=docs           where benchmarks.md and benchmarks.json go
 * Capacity, work per order and data size (full profile, about 13 minutes of it: capacity 3–5, work counts under 1,
 * data size about 8 with 5 runs; BENCH_ONLY=capacity,work-counts,data-size runs just those and prints them):
 *   BENCH_CAPACITY_START=100, BENCH_CAPACITY_MAX=1600, BENCH_CAPACITY_RESOLUTION=50  rates of the capacity search
 *     (doubling from the start until p99 POST → ready reaches 100 ms or an order is refused, then bisecting)
 *   BENCH_CAPACITY_SECONDS=8, BENCH_CAPACITY_WARMUP_SECONDS=2  each step's run, after a warm-up at its rate
 *   BENCH_CAPACITY_FIRST_WARMUP_SECONDS=15  the warm-up of each search's first step (fresh services start cold)
 *   BENCH_CAPACITY_KITCHENS=3    kitchens of the second search (the first has one)
 *   BENCH_WORK_RATE=400, BENCH_WORK_SECONDS=10, BENCH_STRACE_SECONDS=3  the work-count run and its strace window
 *   BENCH_STORED_ORDERS=100000, BENCH_DATA_SIZE_RATE=200  orders stored beforehand, and the rate compared
 * The gateway alone (full and quick profiles, about 15 minutes of the full one; BENCH_ONLY=gateway runs it alone):
 *   BENCH_GATEWAY_RATES=500,1000  requests per second, open loop, through ours, a bare Fastify hop and the Express peer
 *   BENCH_GATEWAY_SECONDS=20 (quick: 3)  each run and each round's quiet window; warm-up BENCH_WARMUP_SECONDS, at most half a run
 * A quick look at everything: BENCH_RUNS=1 BENCH_HTTP_SECONDS=2 BENCH_PIPELINE_ORDERS=300 BENCH_STEADY_SECONDS=20
 *   BENCH_RATES=100 BENCH_OUT_DIR=/tmp/bench pnpm bench
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { measureCapacity } from './capacity.js'
import { measureCapacityAndWork, measureOnly, renderCapacityAndWork } from './capacity-and-work.js'
import { measureLimits } from './limits.js'
import { describeMachine } from './machine.js'
import { measureMemory } from './measure-memory.js'
import { measureServices } from './measure-services.js'
import { profileWorkloads } from './profiling.js'
import { renderCpuTable, renderTable, writeReport } from './report.js'
import { renderFixedRates } from './fixed-rate-report.js'
import { measureFixedRates } from './fixed-rates.js'
import { measureGatewayAlone } from './gateway-alone.js'
import { renderGatewayAlone } from './gateway-alone-report.js'
import { measurePeerAgainst } from './peer-pipeline.js'
import { renderPeerPipeline } from './peer-pipeline-report.js'
import { goalsOf, type Results } from './results.js'
import { loadSettings } from './settings.js'

const started = performance.now()
const startedAt = new Date().toISOString()
const settings = loadSettings()
const elapsed = () => {
  const seconds = Math.floor((performance.now() - started) / 1000)
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`
}
const log = (line: string) => console.log(`[${elapsed()}] ${line}`)

const machine = await describeMachine()
log(`${machine.cpu}, ${machine.cores} cores, ${machine.ramGiB.toFixed(1)} GiB; Node ${machine.node}, RabbitMQ ${machine.rabbitmq}, Redis ${machine.redis}`)
await (settings.only.length > 0 ? measureOnly(settings, log) : settings.benchProfile === 'quick' ? quick() : full())

/** The fixed-rate CPU runs alone, printed. */
async function quick() {
  const fixedRates = await measureFixedRates(settings, log)
  console.log(`\n${renderFixedRates(fixedRates)}\n`)
  if (settings.peerPipeline) {
    const { figures, comparison } = await measurePeerAgainst(fixedRates, settings, log)
    console.log(`\n${renderPeerPipeline(figures, comparison)}\n`)
  }
  console.log(`\n${renderCapacityAndWork({ capacity: await measureCapacity({ ...settings.capacity, kitchens: 1 }, log) })}\n`)
  console.log(`\n${renderGatewayAlone(await measureGatewayAlone(settings, log))}\n`)
  log(`quick profile done in ${((performance.now() - started) / 60_000).toFixed(1)} min`)
}

/** Everything, written to BENCH_OUT_DIR. */
async function full() {
  const limits = await measureLimits(settings, log)
  const { rssUnderLoad, ...measured } = await measureServices(settings, limits.broker.messagesPerSecond, log)
  const fixedRates = await measureFixedRates(settings, log)
  const peerPipeline = settings.peerPipeline ? await measurePeerAgainst(fixedRates, settings, log) : undefined
  const gatewayAlone = await measureGatewayAlone(settings, log)
  const capacityAndWork = await measureCapacityAndWork(settings, log)
  log(`steady run on a fresh stack: ${settings.steadyRate} orders/s for ${settings.steadySeconds} s, RSS every ${settings.sampleSeconds} s`)
  const { idle, steady } = await measureMemory({ seconds: settings.steadySeconds, rate: settings.steadyRate, sampleSeconds: settings.sampleSeconds, log })
  const partial = { startedAt, settings, machine, ...limits, ...measured, fixedRates, peerPipeline, gatewayAlone, ...capacityAndWork, memory: { idle, underLoad: rssUnderLoad, steady } }
  const goals = goalsOf(partial)

  // Memory is read from the steady run's RSS and heap figures; the CPU-bound workloads are profiled.
  const missed = new Set(goals.filter((goal) => !goal.met).map((goal) => goal.workload))
  const profiled = (['intake', 'pipeline'] as const).filter((workload) => settings.profile === 'always' || (settings.profile === 'auto' && missed.has(workload)))
  if (profiled.length > 0) log(`CPU profiles of the services during: ${profiled.join(', ')}`)
  const profiles: Results['profiles'] =
    profiled.length > 0 ? await profileWorkloads(profiled, { connections: settings.connections, seconds: settings.httpSeconds, orders: Math.min(settings.pipelineOrders, 600) }) : {}

  const results: Results = { ...partial, goals, profiles, wallSeconds: (performance.now() - started) / 1000 }
  await writeReport(results, settings.outDir, await readFile(join(import.meta.dirname, 'notes.md'), 'utf8'))
  console.log(`\n${renderTable(results)}\n\n${renderCpuTable(results)}\n\n${renderFixedRates(fixedRates)}\n\n${renderCapacityAndWork(capacityAndWork)}\n`)
  for (const goal of goals) log(`${goal.met ? 'met   ' : 'MISSED'}  ${goal.name}: ${goal.value.toFixed(2)} (target ${goal.target})`)
  log(`written to ${settings.outDir}/benchmarks.md and benchmarks.json in ${(results.wallSeconds / 60).toFixed(1)} min`)
}
