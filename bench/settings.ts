import { join } from 'node:path'

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
  const raw = process.env.BENCH_PROFILE ?? 'auto'
  const mode = profileModes.find((candidate) => candidate === raw)
  if (!mode) throw new Error(`BENCH_PROFILE must be one of ${profileModes.join(', ')}, not ${raw}`)
  return mode
}

/** The knobs of `pnpm bench`, read once from the environment (documented in bench/main.ts). */
export function loadSettings() {
  return {
    runs: whole('BENCH_RUNS', 3),
    connections: whole('BENCH_CONNECTIONS', 50),
    httpSeconds: whole('BENCH_HTTP_SECONDS', 3),
    pipelineOrders: whole('BENCH_PIPELINE_ORDERS', 1500),
    latencySeconds: whole('BENCH_LATENCY_SECONDS', 4),
    brokerMessages: whole('BENCH_BROKER_MESSAGES', 15_000),
    brokerWindow: whole('BENCH_BROKER_WINDOW', 1000),
    redisRoundTrips: whole('BENCH_REDIS_ROUND_TRIPS', 3000),
    redisPipelined: whole('BENCH_REDIS_PIPELINED', 50_000),
    steadySeconds: whole('BENCH_STEADY_SECONDS', 300, 10),
    steadyRate: whole('BENCH_STEADY_RATE', 50),
    sampleSeconds: whole('BENCH_SAMPLE_SECONDS', 10),
    profile: profileMode(),
    outDir: process.env.BENCH_OUT_DIR ?? join(root, 'docs'),
  }
}
export type Settings = ReturnType<typeof loadSettings>

/** How every stack of the benchmark runs its services: quiet logs, instant cooking. */
export const serviceEnv = { LOG_LEVEL: 'warn', KITCHEN_SPEED_FACTOR: '0' }
