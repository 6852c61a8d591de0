import t from 'tap'
import { compareGateways, gatewayAloneGoals, roundOrder, targetFiguresOf, type GatewayTarget } from '../../bench/gateway-alone-figures.js'
import { idleOfTarget, type GatewayRun } from '../../bench/gateway-alone-run.js'
import { outcomeOf } from '../../bench/open-loop.js'

const runOf = (target: GatewayTarget, ratePerSecond: number, hop: number, statuses: (number | undefined)[] = [202]): GatewayRun => ({
  target,
  ratePerSecond,
  load: outcomeOf(statuses.map((status, i) => ({ status, ms: i + 1 })), 0, 1),
  cpuMsPerRequest: { hop, stub: 0.05 },
})

/** One target's figures at one rate, a run per hop CPU given (round 1 first). */
const figuresOf = (target: GatewayTarget, ratePerSecond: number, ...hops: number[]) => targetFiguresOf(target, ratePerSecond, hops.map((hop) => runOf(target, ratePerSecond, hop)))

t.test("a target's figures add up its answers over the rounds and keep each process's CPU apart", async (t) => {
  const figures = targetFiguresOf('ours', 500, [runOf('ours', 500, 0.4, [202, 202, 429]), runOf('ours', 500, 0.6, [202, undefined])])
  t.same([figures.sent, figures.accepted, figures.refused, figures.unanswered], [5, 3, 1, 1])
  t.same(figures.cpuMsPerRequest.hop?.runs, [0.4, 0.6])
  t.equal(figures.cpuMsPerRequest.stub?.median, 0.05)
})

t.test('ours over each other hop is taken round by round, at the rates all three ran', async (t) => {
  const targets = [
    figuresOf('ours', 500, 0.75, 0.25),
    figuresOf('fastify hop', 500, 0.25, 0.25),
    figuresOf('express peer', 500, 0.375, 0.5),
    figuresOf('ours', 1000, 0.5),
    figuresOf('fastify hop', 1000, 0.25),
  ]
  const [comparison, ...others] = compareGateways(targets)
  t.equal(others.length, 0, 'a rate the peer did not run at is not compared')
  t.same(comparison?.oursOverFastifyHop.runs, [3, 1], 'not the median of ours over the median of the hop')
  t.same(comparison?.oursOverPeer.runs, [2, 0.5])
})

t.test('ours may cost up to one and a half bare Fastify hops, and must cost less than the Express peer', async (t) => {
  const goalsAt = (fastifyHop: number, peer: number) =>
    gatewayAloneGoals({ runs: 1, seconds: 1, warmUpSeconds: 1, targets: [], comparisons: compareGateways([figuresOf('ours', 500, 0.6), figuresOf('fastify hop', 500, fastifyHop), figuresOf('express peer', 500, peer)]) })
  t.same(goalsAt(0.4, 0.61).map((goal) => goal.met), [true, true])
  t.same(goalsAt(0.39, 0.6).map((goal) => goal.met), [false, false])
  t.match(goalsAt(0.4, 1)[0]?.name, /≤ 1\.5 × the bare Fastify hop's \(500 req\/s\)/)
})

t.test('there are no gateway goals when the gateway was not measured', async (t) => {
  t.same(gatewayAloneGoals(undefined), [])
})

t.test('each target goes first in turn, round after round', async (t) => {
  const targets = ['a', 'b', 'c']
  t.same([1, 2, 3, 4].map((round) => roundOrder(targets, round).join('')), ['abc', 'bca', 'cab', 'abc'])
})

t.test("a target's idle CPU is subtracted from its runs under the name `hop`, the others' left as they were", async (t) => {
  const idle = idleOfTarget({ before: { ours: 1, peer: 2, stub: 3 }, after: { ours: 1.5, peer: 2, stub: 3.1 }, seconds: 4 }, 'ours')
  t.same(idle, { before: { hop: 1, peer: 2, stub: 3 }, after: { hop: 1.5, peer: 2, stub: 3.1 }, seconds: 4 })
})
