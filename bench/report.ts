import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { renderCapacityAndWork } from './capacity-and-work.js'
import { digits, show } from './figure-format.js'
import { renderFixedRates } from './fixed-rate-report.js'
import { renderGatewayAlone } from './gateway-alone-report.js'
import { renderPeerPipeline } from './peer-pipeline-report.js'
import type { ProfileSummary } from './profiles.js'
import type { Results } from './results.js'
import type { Figure } from './stats.js'

type Row = [measure: string, figure: string, unit: string, note: string]

function problems(non2xx: number, errors = 0): string {
  return non2xx + errors > 0 ? `⚠ ${non2xx} non-2xx, ${errors} unanswered` : ''
}

function rows(results: Results): Row[] {
  const { http, ratios, pipeline, latency, memory } = results
  const httpRows = (name: string, label: string): Row[] => {
    const figures = http[name]
    if (!figures) return []
    return [
      [`${label}: throughput`, show(figures.requestsPerSecond), 'req/s', problems(figures.non2xx, figures.errors)],
      [`${label}: latency p50 / p99`, `${show(figures.p50Ms)} / ${show(figures.p99Ms)}`, 'ms', ''],
    ]
  }
  const goal = (name: string) => {
    const found = results.goals.find((candidate) => candidate.name === name)
    return found ? `target ${found.target}: ${found.met ? 'met' : '**missed**'}` : ''
  }
  const services = Object.keys(memory.idle)
  return [
    ...httpRows('ours', 'Intake through our gateway (POST /api/orders, 50 connections)'),
    ...httpRows('direct', 'Intake straight to the waiter'),
    ...httpRows('peer', 'Intake through the peer (Express 5 + http-proxy-middleware)'),
    ['Ours / direct', show(ratios.oursOverDirect, 2), 'ratio', goal('intake: ours / direct')],
    ['Ours p99 at 50 connections', show(http.ours?.p99Ms), 'ms', goal('intake: ours p99 (ms) at 50 connections')],
    ['Ours / peer', show(ratios.oursOverPeer, 2), 'ratio', goal('intake: ours / peer')],
    ['Ours / bare proxy hop', show(ratios.oursOverBareProxy, 2), 'ratio', ''],
    ...httpRows('fastify-hello', 'Limit: bare Fastify hello (GET)'),
    ...httpRows('bare-proxy', 'Limit: bare proxy hop (node:http → node:http hello, GET)'),
    ['Limit: RabbitMQ confirmed publish + consume, quorum queue', show(results.broker.messagesPerSecond), 'msg/s', `window ${results.settings.brokerWindow}`],
    ['Limit: RabbitMQ publish → confirm, one at a time: median / p99', `${show(results.broker.confirmMedianMs, 1)} / ${show(results.broker.confirmP99Ms, 1)}`, 'ms', 'quorum queue'],
    ['Limit: Redis PING median / p99', `${show(results.redis.pingMedianUs)} / ${show(results.redis.pingP99Us)}`, 'µs', ''],
    ['Limit: Redis GET median / p99', `${show(results.redis.getMedianUs)} / ${show(results.redis.getP99Us)}`, 'µs', ''],
    ['Limit: Redis pipelined GET', show(results.redis.pipelinedOpsPerSecond), 'ops/s', 'pipelines of 1,000'],
    [`Pipeline, 1 kitchen: POST → ready (${results.settings.pipelineOrders} orders)`, show(pipeline.oneKitchen.ordersPerSecond), 'orders/s', problems(pipeline.oneKitchen.non2xx)],
    [`Pipeline, 2 kitchens: POST → ready (${results.settings.pipelineOrders} orders)`, show(pipeline.twoKitchens.ordersPerSecond), 'orders/s', problems(pipeline.twoKitchens.non2xx)],
    ['Messages per order: publishes / deliveries', `${show(pipeline.oneKitchen.publishesPerOrder, 2)} / ${show(pipeline.oneKitchen.deliveriesPerOrder, 2)}`, 'msg', 'from /metrics deltas'],
    ['Pipeline, 1 kitchen, as a fraction of the raw broker', show(pipeline.fractionOfBroker.oneKitchen, 2), 'ratio', goal('pipeline (1 kitchen) / raw broker')],
    ['Pipeline, 2 kitchens, as a fraction of the raw broker', show(pipeline.fractionOfBroker.twoKitchens, 2), 'ratio', ''],
    [`POST → ready p50 / p99 at half load (${digits(latency.ratePerSecond, 0)} orders/s, open loop)`, `${show(latency.p50Ms, 1)} / ${show(latency.p99Ms, 1)}`, 'ms', `${goal('POST → ready p99 (ms) at half load')}${latency.refused ? ` ⚠ ${latency.refused} refused` : ''}`],
    [
      'At half load, means from the services\' metrics: publish confirm / placed → accepted / → cooking / → ready',
      [latency.meanMs.publishConfirm, latency.meanMs.placedToAccepted, latency.meanMs.placedToCooking, latency.meanMs.placedToReady].map((figure) => show(figure, 1)).join(' / '),
      'ms',
      'placed → … from each order\'s own history',
    ],
    ...services.map((service): Row => [`RSS of the ${service}: idle / under intake load`, `${show(memory.idle[service])} / ${show(memory.underLoad[service])}`, 'MiB', '']),
    ...services.map((service): Row => [
      `RSS of the ${service} over ${memory.steady.seconds} s at ${memory.steady.ratePerSecond} orders/s: first / last ${digits(memory.steady.windowSeconds, 0)} s`,
      `${show(memory.steady.first[service])} / ${show(memory.steady.last[service])}`,
      'MiB',
      `growth ${digits(memory.steady.growthPercent[service] ?? Number.NaN, 1)} %, ${goal(`RSS growth of the ${service} over the steady run (%)`)}; ` +
        `JS heap used ${show(memory.steady.heapFirst[service])} / ${show(memory.steady.heapLast[service])} MiB`,
    ]),
  ]
}

/** The results as a markdown table, as printed at the end of a run. */
export function renderTable(results: Results): string {
  const lines = ['| measure | median (min–max) | unit | note |', '|---|---|---|---|']
  for (const row of rows(results)) lines.push(`| ${row.join(' | ')} |`)
  return lines.join('\n')
}

const roles = ['gateway', 'waiter', 'kitchen', 'rabbitmq', 'redis', 'load generator']

/** CPU time per request or order by process, from /proc: what each piece costs, whatever the machine's noise. */
export function renderCpuTable(results: Results): string {
  const cpuRows: [string, Record<string, Figure> | undefined][] = [
    ['intake through our gateway, per request', results.http.ours?.cpuMsPerRequest],
    ['intake straight to the waiter, per request', results.http.direct?.cpuMsPerRequest],
    ['intake through the peer (its CPU under gateway), per request', results.http.peer?.cpuMsPerRequest],
    ['pipeline, 1 kitchen, per order', results.pipeline.oneKitchen.cpuMsPerOrder],
    ['pipeline, 2 kitchens (both), per order', results.pipeline.twoKitchens.cpuMsPerOrder],
  ]
  const lines = [`| CPU ms | ${roles.join(' | ')} | all | ceiling on ${results.machine.cores} cores |`, `|---|${roles.map(() => '---|').join('')}---|---|`]
  for (const [label, cpu] of cpuRows) {
    if (!cpu) continue
    const total = roles.reduce((sum, role) => sum + (cpu[role]?.median ?? 0), 0)
    const cells = roles.map((role) => digits(cpu[role]?.median ?? 0, 2))
    lines.push(`| ${label} | ${cells.join(' | ')} | ${digits(total, 2)} | ${digits((results.machine.cores * 1000) / total, 0)}/s |`)
  }
  return lines.join('\n')
}

function renderProfiles(profiles: Results['profiles']): string {
  const sections = Object.entries(profiles).flatMap(([workload, byService]) =>
    Object.entries(byService).map(([service, summary]: [string, ProfileSummary]) =>
      [
        `**${service}** during the ${workload} workload (${digits(summary.busySeconds, 1)} s busy), self time:`,
        '',
        '| module | self % | function | self % |',
        '|---|---|---|---|',
        ...summary.modules.map((module, i) => {
          const fn = summary.functions[i]
          return `| ${module.name} | ${digits(module.selfPercent, 1)} | ${fn ? `\`${fn.name}\`` : ''} | ${fn ? digits(fn.selfPercent, 1) : ''} |`
        }),
      ].join('\n'),
    ),
  )
  return sections.length ? ['## Where the time goes (CPU profiles of the workloads of missed targets)', ...sections].join('\n\n') : ''
}

function renderMarkdown(results: Results, notes: string): string {
  const { machine, settings } = results
  return [
    '# Benchmarks',
    '',
    `Written by \`pnpm bench\` on ${results.startedAt}; the measurements took ${digits(results.wallSeconds / 60, 1)} min. Every figure is the median of ` +
      `${settings.runs} runs with the range in brackets; compared measurements ran alternately in one sitting, and ratios are taken run by run.`,
    '',
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${digits(machine.ramGiB, 1)} GiB RAM; Node ${machine.node}, RabbitMQ ${machine.rabbitmq}, Redis ${machine.redis}; ` +
      Object.entries(machine.packages).map(([name, version]) => `${name} ${version}`).join(', ') +
      '. The load generator (autocannon) runs on the same machine, over loopback.',
    '',
    renderTable(results),
    '',
    'CPU time per request or order, by process (medians; from /proc/<pid>/stat, so independent of how busy the machine was), and the rate',
    'the machine could sustain if nothing else ran and that CPU were the only limit:',
    '',
    renderCpuTable(results),
    '',
    '## CPU and Redis work per order at fixed rates',
    '',
    renderFixedRates(results.fixedRates),
    '',
    ...(results.peerPipeline ? ['## Peer pipeline', '', renderPeerPipeline(results.peerPipeline.figures, results.peerPipeline.comparison), ''] : []),
    ...(results.gatewayAlone ? ['## Gateway alone', '', renderGatewayAlone(results.gatewayAlone), ''] : []),
    '## Capacity, work per order and data size',
    '',
    renderCapacityAndWork(results),
    '',
    notes,
    '',
    renderProfiles(results.profiles),
    '',
  ].join('\n')
}

/** Writes docs/benchmarks.md (with `notes` under the table) and docs/benchmarks.json (every figure and run). */
export async function writeReport(results: Results, outDir: string, notes: string): Promise<void> {
  await mkdir(outDir, { recursive: true })
  await writeFile(join(outDir, 'benchmarks.json'), `${JSON.stringify(results, null, 2)}\n`)
  await writeFile(join(outDir, 'benchmarks.md'), renderMarkdown(results, notes))
}
