import t from 'tap'
import { Registry } from 'prom-client'
import { createKitchenMetrics } from '../../src/adapters/kitchen-metrics.js'

t.test('claims, renewals and fenced writes are counted under their names, claims by outcome', async (t) => {
  const registry = new Registry()
  const metrics = createKitchenMetrics(registry)
  metrics.claims.inc({ outcome: 'taken_over' })
  metrics.fencedWrites.inc()
  const text = await registry.metrics()
  t.match(text, /kitchen_claims_total\{outcome="taken_over"\} 1/)
  t.match(text, /kitchen_fenced_writes_total 1/)
  t.match(text, /kitchen_lease_renewals_total 0/)
})
