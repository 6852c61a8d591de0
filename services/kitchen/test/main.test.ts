import t from 'tap'
import { assertBackendProbesOnInternalPortOnly } from '../../../test/support/probes.js'

t.test('the kitchen serves its probes and metrics on INTERNAL_PORT, none on its public PORT', async (t) => {
  await assertBackendProbesOnInternalPortOnly(t, 'kitchen')
})
