import t from 'tap'
import { compareWithPeer, machineCpuMs, ordersPerCpuSecond, peerGoals, systemCpuMs, type RateRuns } from '../../bench/peer-pipeline-comparison.js'

const atRate = (ratePerSecond: number, ...cpuMsPerOrder: Record<string, number>[]): RateRuns => ({ ratePerSecond, runs: cpuMsPerOrder.map((cpu) => ({ cpuMsPerOrder: cpu })) })

t.test("a system's CPU per order adds up its processes, leaving out the machine total and the load generator", async (t) => {
  t.equal(systemCpuMs({ gateway: 1, waiter: 2, rabbitmq: 0.5, 'load generator': 3, machine: 9 }), 3.5)
})

t.test("the machine's CPU per order leaves out the load generator, and is unknown when the machine was not read", async (t) => {
  t.equal(machineCpuMs({ 'load generator': 1, machine: 5 }), 4)
  t.ok(Number.isNaN(machineCpuMs({ gateway: 1 })))
})

t.test('orders per CPU-second is a thousand over the milliseconds per order, and unknown without a positive cost', async (t) => {
  t.equal(ordersPerCpuSecond(4), 250)
  t.ok(Number.isNaN(ordersPerCpuSecond(0)))
  t.ok(Number.isNaN(ordersPerCpuSecond(-0.1)))
})

t.test('ours over the peer is taken round by round, at the rates both measured', async (t) => {
  const ours = [atRate(100, { waiter: 1, machine: 1.5 }, { waiter: 2, machine: 2 }), atRate(200, { waiter: 1 })]
  const peer = [atRate(100, { 'order api': 4, machine: 4 }, { 'order api': 2, machine: 8 })]
  const [comparison, ...others] = compareWithPeer(ours, peer)
  t.equal(others.length, 0, 'a rate the peer was not run at is not compared')
  t.same(comparison?.ours.runs, [1000, 500])
  t.same(comparison?.peer.runs, [250, 500])
  t.same(comparison?.oursOverPeer.runs, [4, 1], 'not the median of ours over the median of the peer')
  t.same(comparison?.oursOverPeerMachine.runs, [1000 / 1.5 / 250, 4])
})

t.test('the goal is met from twice the peer up, one goal per rate', async (t) => {
  const ours = [atRate(100, { waiter: 1 }), atRate(200, { waiter: 1 })]
  const peer = [atRate(100, { 'order api': 2 }), atRate(200, { 'order api': 1.99 })]
  const goals = peerGoals(compareWithPeer(ours, peer))
  t.same(goals.map((goal) => goal.met), [true, false])
  t.match(goals[0]?.name, /ours ≥ 2 × the peer pipeline's orders per CPU-second \(100 orders\/s\)/)
})
