import { figuresByName } from './counter-deltas.js'
import type { GatewayRun } from './gateway-alone-run.js'
import { loadFiguresOf, type LoadFigures } from './load-figures.js'
import type { Goal } from './results.js'
import { ratioOf, type Figure } from './stats.js'

/** The three front doors compared, in front of one stub upstream. */
export const gatewayTargets = ['ours', 'fastify hop', 'express peer'] as const
export type GatewayTarget = (typeof gatewayTargets)[number]

/** One target at one rate over the rounds. */
export interface TargetFigures extends LoadFigures {
  target: GatewayTarget
  ratePerSecond: number
  /** By process: `hop` (the target itself), `stub`, `redis`, `load generator`. */
  cpuMsPerRequest: Record<string, Figure>
  runs: GatewayRun[]
}

/** Our gateway's CPU per request over the others', round by round, at one rate. */
export interface GatewayComparison {
  ratePerSecond: number
  oursOverFastifyHop: Figure
  oursOverPeer: Figure
}

export interface GatewayAloneFigures {
  runs: number
  seconds: number
  warmUpSeconds: number
  targets: TargetFigures[]
  comparisons: GatewayComparison[]
}

export const FASTIFY_HOP_TARGET = 1.5

export function targetFiguresOf(target: GatewayTarget, ratePerSecond: number, runs: GatewayRun[]): TargetFigures {
  return {
    target,
    ratePerSecond,
    cpuMsPerRequest: figuresByName(runs.map((run) => run.cpuMsPerRequest)),
    ...loadFiguresOf(runs.map((run) => run.load)),
    runs,
  }
}

/** At every rate all three ran: ours ÷ each other's hop CPU per request, run by run (round i with round i). */
export function compareGateways(targets: readonly TargetFigures[]): GatewayComparison[] {
  const rates = [...new Set(targets.map((figures) => figures.ratePerSecond))]
  const hopOf = (target: GatewayTarget, rate: number) => targets.find((figures) => figures.target === target && figures.ratePerSecond === rate)?.cpuMsPerRequest.hop
  return rates.flatMap((ratePerSecond) => {
    const [ours, fastifyHop, peer] = gatewayTargets.map((name) => hopOf(name, ratePerSecond))
    if (!ours || !fastifyHop || !peer) return []
    return [{ ratePerSecond, oursOverFastifyHop: ratioOf(ours, fastifyHop), oursOverPeer: ratioOf(ours, peer) }]
  })
}

export const fastifyHopGoalName = (rate: number) => `our gateway's CPU per request ≤ ${FASTIFY_HOP_TARGET} × the bare Fastify hop's (${rate} req/s)`
export const expressPeerGoalName = (rate: number) => `our gateway's CPU per request < the Express peer's (${rate} req/s)`

export function gatewayAloneGoals(figures: GatewayAloneFigures | undefined): Goal[] {
  return (figures?.comparisons ?? []).flatMap(({ ratePerSecond, oursOverFastifyHop, oursOverPeer }): Goal[] => [
    { name: fastifyHopGoalName(ratePerSecond), value: oursOverFastifyHop.median, target: `≤ ${FASTIFY_HOP_TARGET}`, met: oursOverFastifyHop.median <= FASTIFY_HOP_TARGET, workload: 'intake' },
    { name: expressPeerGoalName(ratePerSecond), value: oursOverPeer.median, target: '< 1', met: oursOverPeer.median < 1, workload: 'intake' },
  ])
}

/** The targets in the order of round `round` (from 1): each goes first in turn, so none always follows the same. */
export function roundOrder<T>(targets: readonly T[], round: number): T[] {
  const shift = (round - 1) % Math.max(1, targets.length)
  return [...targets.slice(shift), ...targets.slice(0, shift)]
}
