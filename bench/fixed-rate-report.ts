import type { FixedRateFigures, RateFigures } from './fixed-rates.js'
import { show } from './figure-format.js'

const processOrder = ['gateway', 'waiter', 'kitchen', 'rabbitmq', 'redis', 'ferretdb', 'load generator']

function setupLine({ setup }: FixedRateFigures): string {
  const store = setup.store === 'mongo' ? 'MongoDB wire protocol (the machine\'s FerretDB)' : 'embedded SQLite file'
  return (
    `Fixed rates, open loop, POST /api/orders through the gateway to \`ready\` at KITCHEN_SPEED_FACTOR=0. Store: ${store}; ` +
    `broker: ${setup.brokerNodes} RabbitMQ node (the machine's); ${setup.kitchens} kitchen; webhooks off; identity: ${setup.identity}. ` +
    `The load generator is a process of its own (node:http, keep-alive, a fresh Idempotency-Key per order). ` +
    `${setup.profile} profile: ${setup.runs} runs per rate, alternating, each ${setup.seconds} s after ${setup.warmUpSeconds} s of warm-up; ` +
    `idle CPU and Redis work over a quiet window as long as the run, just before it, are subtracted. ` +
    'Figures are medians (min–max) per order that reached `ready` (the kitchens\' own counter). Redis calls include the commands ' +
    'run inside Lua scripts (as INFO commandstats counts them); Redis reads are `total_reads_processed`, where commands of several ' +
    'clients\' requests arriving together count once. Redis, RabbitMQ and the whole machine are shared with whatever else runs on it.'
  )
}

function cpuTable(figures: FixedRateFigures): string {
  const present = processOrder.filter((name) => figures.rates.some((rate) => rate.cpuMsPerOrder[name]))
  const lines = [
    `| orders/s | ready per run | ${present.map((name) => `${name} CPU ms`).join(' | ')} | these processes | whole machine | Redis calls | Redis reads (round trips) |`,
    `|---|---|${present.map(() => '---|').join('')}---|---|---|---|`,
  ]
  for (const rate of figures.rates) {
    const cells = present.map((name) => show(rate.cpuMsPerOrder[name], 2))
    lines.push(`| ${rate.ratePerSecond} | ${show(rate.ordersReady, 0)} | ${cells.join(' | ')} | ${show(rate.processesCpuMsPerOrder, 2)} | ${show(rate.cpuMsPerOrder.machine, 2)} | ${show(rate.redisCallsTotalPerOrder, 1)} | ${show(rate.redisRoundTripsPerOrder, 1)} |`)
  }
  return lines.join('\n')
}

function loadTable(figures: FixedRateFigures): string {
  const lines = ['| orders/s | sent | 202 | other statuses | unanswered | latency p50 / p99 (ms, from when due) | generator\'s worst lag (ms) |', '|---|---|---|---|---|---|---|']
  for (const rate of figures.rates) {
    const flag = rate.refused + rate.unanswered > 0 ? ' ⚠' : ''
    lines.push(`| ${rate.ratePerSecond} | ${rate.sent} | ${rate.accepted} | ${rate.refused}${flag} | ${rate.unanswered}${flag} | ${show(rate.latencyP50Ms, 1)} / ${show(rate.latencyP99Ms, 1)} | ${show(rate.maxLagMs, 1)} |`)
  }
  return lines.join('\n')
}

function redisTable(figures: FixedRateFigures): string {
  const median = (rate: RateFigures, command: string) => rate.redisCallsPerOrder[command]?.median ?? 0
  const commands = [...new Set(figures.rates.flatMap((rate) => Object.keys(rate.redisCallsPerOrder)))]
    .filter((command) => figures.rates.some((rate) => median(rate, command) >= 0.05))
    .sort((a, b) => median(figures.rates[0] as RateFigures, b) - median(figures.rates[0] as RateFigures, a))
  const lines = [`| Redis command, calls per order | ${figures.rates.map((rate) => `${rate.ratePerSecond}/s`).join(' | ')} |`, `|---|${figures.rates.map(() => '---|').join('')}`]
  for (const command of commands) lines.push(`| ${command} | ${figures.rates.map((rate) => show(rate.redisCallsPerOrder[command], 2)).join(' | ')} |`)
  return lines.join('\n')
}

/** The fixed-rate figures: what was measured, CPU and Redis work per order, the load's outcome, Redis by command. */
export function renderFixedRates(figures: FixedRateFigures): string {
  return [setupLine(figures), cpuTable(figures), loadTable(figures), redisTable(figures)].join('\n\n')
}
