import t from 'tap'
import { createReplayGuard } from '../../src/auth/replay-guard.js'

t.test('an id passes once while its token is valid, and is forgotten once it has expired', async (t) => {
  let now = 1_000
  const firstUse = createReplayGuard(() => now)
  t.ok(firstUse('a', 2_000))
  t.notOk(firstUse('a', 2_000), 'again: a replay')
  t.ok(firstUse('b', 3_000))
  now = 2_500
  t.ok(firstUse('a', 4_000), "after its token's end the id could not verify anyway; it is forgotten")
  t.notOk(firstUse('b', 3_000), 'b is still remembered')
})
