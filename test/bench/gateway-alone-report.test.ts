import t from 'tap'
import type { GatewayAloneFigures, GatewayComparison, TargetFigures } from '../../bench/gateway-alone-figures.js'
import { renderGatewayAlone } from '../../bench/gateway-alone-report.js'
import { figureOf } from '../../bench/stats.js'
import { allAccepted } from './load-fixture.js'

const target = (overrides: Partial<TargetFigures> = {}): TargetFigures => ({
  target: 'ours',
  ratePerSecond: 500,
  cpuMsPerRequest: { hop: figureOf([0.5]), stub: figureOf([0.05]), redis: figureOf([0.1]) },
  ...allAccepted(1000),
  runs: [],
  ...overrides,
})
const comparison = (oursOverFastifyHop: number, oursOverPeer: number): GatewayComparison => ({
  ratePerSecond: 500,
  oursOverFastifyHop: figureOf([oursOverFastifyHop]),
  oursOverPeer: figureOf([oursOverPeer]),
})
const figures = (targets: TargetFigures[], comparisons: GatewayComparison[] = []): GatewayAloneFigures => ({ runs: 1, seconds: 4, warmUpSeconds: 2, targets, comparisons })

t.test('the ratios show their targets, met or missed', async (t) => {
  const text = renderGatewayAlone(figures([target()], [comparison(1.6, 0.9)]))
  t.match(text, /\| 500 \| 1\.60 \(1\.60–1\.60\) \(target ≤ 1\.5: \*\*missed\*\*\) \| 0\.90 \(0\.90–0\.90\) \(target < 1: met\) \|/)
})

t.test("each target's row gives the hop's CPU per request with the stub's and Redis's apart", async (t) => {
  t.match(renderGatewayAlone(figures([target()])), /\| our gateway \| 500 \| 0\.500 \(0\.500–0\.500\) \| 0\.050 \(0\.050–0\.050\) \| 0\.100 \(0\.100–0\.100\) \| 1000 of 1000 \|/)
})

t.test('a target with answers other than 202 or none is flagged', async (t) => {
  t.match(renderGatewayAlone(figures([target({ target: 'express peer', accepted: 990, refused: 4, unanswered: 6 })])), /Express peer .*990 of 1000 ⚠ 4 other, 6 unanswered/)
})
