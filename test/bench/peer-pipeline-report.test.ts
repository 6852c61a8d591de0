import t from 'tap'
import type { PeerComparison } from '../../bench/peer-pipeline-comparison.js'
import type { PeerPipelineFigures, PeerRateFigures } from '../../bench/peer-pipeline.js'
import { renderPeerPipeline } from '../../bench/peer-pipeline-report.js'
import { figureOf } from '../../bench/stats.js'
import { allAccepted } from './load-fixture.js'

const atRate = (overrides: Partial<PeerRateFigures> = {}): PeerRateFigures => ({
  ratePerSecond: 100,
  ordersReady: figureOf([1000]),
  cpuMsPerOrder: { 'order api': figureOf([1]), rabbitmq: figureOf([1.2]) },
  ...allAccepted(1000, 5, 20),
  runs: [],
  ...overrides,
})
const figures = (rate: PeerRateFigures): PeerPipelineFigures => ({ runs: 1, seconds: 10, warmUpSeconds: 2, rates: [rate] })
const comparison = (ratio: number): PeerComparison => {
  const one = figureOf([ratio])
  return { ratePerSecond: 100, ours: one, peer: one, oursOverPeer: one, oursMachine: one, peerMachine: one, oursOverPeerMachine: one }
}

t.test('a ratio below twice the peer is shown as a missed target, and from twice up as met', async (t) => {
  t.match(renderPeerPipeline(figures(atRate()), [comparison(1.5)]), /1\.50 \(1\.50–1\.50\) \(target ≥ 2: \*\*missed\*\*\)/)
  t.match(renderPeerPipeline(figures(atRate()), [comparison(2)]), /\(target ≥ 2: met\)/)
})

t.test('refused or unanswered orders are flagged beside the 202s', async (t) => {
  t.match(renderPeerPipeline(figures(atRate({ accepted: 990, refused: 4, unanswered: 6 })), []), /990 of 1000 ⚠ 4 refused, 6 unanswered/)
  t.notMatch(renderPeerPipeline(figures(atRate()), []), /⚠/)
})
