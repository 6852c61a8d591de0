import { show } from './figure-format.js'
import {
  expressPeerGoalName,
  fastifyHopGoalName,
  gatewayAloneGoals,
  type GatewayAloneFigures,
  type GatewayComparison,
  type TargetFigures,
} from './gateway-alone-figures.js'
import type { Goal } from './results.js'

const labels: Record<TargetFigures['target'], string> = {
  ours: 'our gateway',
  'fastify hop': 'bare Fastify hop (@fastify/http-proxy)',
  'express peer': 'Express peer (http-proxy-middleware)',
}

function setupLine(figures: GatewayAloneFigures): string {
  return (
    'Each front door alone, in front of one stub upstream (bench/servers/stub-waiter.ts: node:http answering `POST /api/orders` with a 202 and ' +
    'a constant order, checking nothing): our gateway (the built service, rate limits counted in Redis but out of reach), a bare Fastify hop ' +
    '(bench/servers/fastify-hop.ts) and the Express peer (bench/servers/peer-gateway.ts). `POST /api/orders` as the fixed-rate runs send it ' +
    `(the customer's JWT, a fresh Idempotency-Key), open loop, from the load generator's process; ${figures.runs} rounds, in each a quiet window ` +
    `for all processes, then every rate with the three taking turns going first, each run ${figures.seconds} s after ${figures.warmUpSeconds} s of ` +
    'warm-up. CPU ms per 202 answer, idle subtracted: the hop\'s own process, then the stub and Redis apart; latency from when each request was due.'
  )
}

function targetRow(figures: TargetFigures): string {
  const cpu = (name: string) => show(figures.cpuMsPerRequest[name], 3)
  const flag = figures.refused + figures.unanswered > 0 ? ` ⚠ ${figures.refused} other, ${figures.unanswered} unanswered` : ''
  return (
    `| ${labels[figures.target]} | ${figures.ratePerSecond} | ${cpu('hop')} | ${cpu('stub')} | ${cpu('redis')} | ` +
    `${figures.accepted} of ${figures.sent}${flag} | ${show(figures.latencyP50Ms, 1)} / ${show(figures.latencyP99Ms, 1)} |`
  )
}

function comparisonRow({ ratePerSecond, oursOverFastifyHop, oursOverPeer }: GatewayComparison, goals: readonly Goal[]): string {
  const goal = (name: string) => {
    const found = goals.find((candidate) => candidate.name === name)
    return found ? ` (target ${found.target}: ${found.met ? 'met' : '**missed**'})` : ''
  }
  return `| ${ratePerSecond} | ${show(oursOverFastifyHop, 2)}${goal(fastifyHopGoalName(ratePerSecond))} | ${show(oursOverPeer, 2)}${goal(expressPeerGoalName(ratePerSecond))} |`
}

/** The gateway-alone section: what was measured, CPU per request and latency by target, and ours over the others. */
export function renderGatewayAlone(figures: GatewayAloneFigures): string {
  const targets = [
    '| target | req/s | hop CPU ms/request | stub CPU ms | Redis CPU ms | 202 of sent | latency p50 / p99 (ms) |',
    '|---|---|---|---|---|---|---|',
    ...figures.targets.map(targetRow),
  ]
  const goals = gatewayAloneGoals(figures)
  const comparisons = ['| req/s | ours ÷ bare Fastify hop (hop CPU per request) | ours ÷ Express peer |', '|---|---|---|', ...figures.comparisons.map((comparison) => comparisonRow(comparison, goals))]
  return [setupLine(figures), targets.join('\n'), 'Ratios are taken run by run (round i of ours with round i of the other).', comparisons.join('\n')].join('\n\n')
}
