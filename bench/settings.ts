import { join } from 'node:path'
import { parseArgs } from 'node:util'

const root = join(import.meta.dirname, '..')

function whole(name: string, fallback: number, minimum = 1): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < minimum) throw new Error(`${name} must be an integer >= ${minimum}, not ${raw}`)
  return value
}

const profileModes = ['auto', 'always', 'never'] as const
type ProfileMode = (typeof profileModes)[number]

function profileMode(): ProfileMode {
  const raw = process.env.BENCH_CPU_PROFILES ?? 'auto'
  const mode = profileModes.find((candidate) => candidate === raw)
  if (!mode) throw new Error(`BENCH_CPU_PROFILES must be one of ${profileModes.join(', ')}, not ${raw}`)
  return mode
}

/** The two sittings of `pnpm bench`: `quick` (the fixed-rate CPU runs, printed) and `full` (everything, written to docs). */
const benchProfiles = {
  quick: { runs: 3, rates: '100,200', gatewaySeconds: 3 },
  full: { runs: 5, rates: '100,200,400', gatewaySeconds: 20 },
} as const
type BenchProfile = keyof typeof benchProfiles

/** `--profile quick|full` on the command line (`pnpm bench -- --profile quick`); full when absent. */
function benchProfile(): BenchProfile {
  const args = process.argv.slice(2).filter((arg) => arg !== '--')
  const { profile = 'full' } = parseArgs({ args, options: { profile: { type: 'string' } } }).values
  if (profile !== 'quick' && profile !== 'full') throw new Error(`--profile must be quick or full, not ${profile}`)
  return profile
}

function rates(fallback: string, name = 'BENCH_RATES'): number[] {
  const raw = process.env[name] || fallback
  const list = raw.split(',').map(Number)
  if (list.some((rate) => !Number.isInteger(rate) || rate < 1)) throw new Error(`${name} must be whole numbers per second, comma-separated, not ${raw}`)
  return list
}

function store(): 'sqlite' | 'mongo' {
  const raw = process.env.BENCH_STORE ?? 'sqlite'
  if (raw !== 'sqlite' && raw !== 'mongo') throw new Error(`BENCH_STORE must be sqlite or mongo, not ${raw}`)
  if (raw === 'mongo' && !process.env.MONGO_URL) throw new Error('BENCH_STORE=mongo needs MONGO_URL (FerretDB: mongodb://127.0.0.1:27017)')
  return raw
}

function onOff(name: string, fallback: boolean): boolean {
  const raw = process.env[name] || (fallback ? 'on' : 'off')
  if (raw !== 'on' && raw !== 'off') throw new Error(`${name} must be on or off, not ${raw}`)
  return raw === 'on'
}

/** The gateway-alone runs: their rates and length; the warm-up is BENCH_WARMUP_SECONDS, at most half a run. */
function gatewayAlone(chosen: BenchProfile) {
  const seconds = whole('BENCH_GATEWAY_SECONDS', benchProfiles[chosen].gatewaySeconds)
  return { rates: rates('500,1000', 'BENCH_GATEWAY_RATES'), seconds, warmUpSeconds: Math.max(1, Math.min(whole('BENCH_WARMUP_SECONDS', 5), Math.floor(seconds / 2))) }
}

/** The knobs of `pnpm bench`, read once from the environment (documented in bench/main.ts). */
export function loadSettings() {
  const chosen = benchProfile()
  return {
    benchProfile: chosen,
    runs: whole('BENCH_RUNS', benchProfiles[chosen].runs),
    connections: whole('BENCH_CONNECTIONS', 50),
    httpSeconds: whole('BENCH_HTTP_SECONDS', 3),
    pipelineOrders: whole('BENCH_PIPELINE_ORDERS', 1500),
    latencySeconds: whole('BENCH_LATENCY_SECONDS', 4),
    brokerMessages: whole('BENCH_BROKER_MESSAGES', 15_000),
    brokerWindow: whole('BENCH_BROKER_WINDOW', 1000),
    redisRoundTrips: whole('BENCH_REDIS_ROUND_TRIPS', 3000),
    redisPipelined: whole('BENCH_REDIS_PIPELINED', 50_000),
    steadySeconds: whole('BENCH_STEADY_SECONDS', 600, 10),
    steadyRate: whole('BENCH_STEADY_RATE', 50),
    sampleSeconds: whole('BENCH_SAMPLE_SECONDS', 10),
    rates: rates(benchProfiles[chosen].rates),
    rateSeconds: whole('BENCH_RATE_SECONDS', 20),
    warmUpSeconds: whole('BENCH_WARMUP_SECONDS', 5),
    store: store(),
    /** The peer pipeline after the fixed-rate runs: on in the full profile, off in the quick one. */
    peerPipeline: onOff('BENCH_PEER_PIPELINE', chosen === 'full'),
    /** Read again by the stack it starts (test/support/stack.ts) when the store is mongo. */
    mongoUrl: process.env.BENCH_STORE === 'mongo' ? process.env.MONGO_URL : undefined,
    profile: profileMode(),
    outDir: process.env.BENCH_OUT_DIR ?? join(root, 'docs'),
    capacity: {
      start: whole('BENCH_CAPACITY_START', 100),
      max: whole('BENCH_CAPACITY_MAX', 1600),
      resolution: whole('BENCH_CAPACITY_RESOLUTION', 50),
      seconds: whole('BENCH_CAPACITY_SECONDS', 8),
      warmUpSeconds: whole('BENCH_CAPACITY_WARMUP_SECONDS', 2),
      firstWarmUpSeconds: whole('BENCH_CAPACITY_FIRST_WARMUP_SECONDS', 15),
      kitchens: whole('BENCH_CAPACITY_KITCHENS', 3),
      p99BoundMs: 100,
    },
    workCounts: { ratePerSecond: whole('BENCH_WORK_RATE', 400), seconds: whole('BENCH_WORK_SECONDS', 10), straceSeconds: whole('BENCH_STRACE_SECONDS', 3) },
    dataSize: { storedOrders: whole('BENCH_STORED_ORDERS', 100_000), ratePerSecond: whole('BENCH_DATA_SIZE_RATE', 200) },
    gateway: gatewayAlone(chosen),
    /** Only these parts of the full profile (capacity, work-counts, data-size, gateway), printed, not written; all when empty. */
    only: (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean),
  }
}
export type Settings = ReturnType<typeof loadSettings>

/** How every stack of the benchmark runs its services: quiet logs, instant cooking. */
export const serviceEnv = { LOG_LEVEL: 'warn', KITCHEN_SPEED_FACTOR: '0' }
