import t from 'tap'
import { realTimer, scaledTimer } from '../../src/messaging/timer.js'

t.test('a scaled timer waits a fraction of what is asked and reads the time as if the whole wait had passed', async (t) => {
  const timer = scaledTimer(0.01)
  const [readBefore, startedAt] = [timer.now(), Date.now()]
  await timer.sleep(2_000)
  const [read, took] = [timer.now() - readBefore, Date.now() - startedAt]
  t.ok(took < 500, `took ${took} ms, not two seconds`)
  t.ok(read >= 2_000 - 100, `reads ${Math.round(read)} ms passed`)
})

t.test('a sleep ends early, rejecting, when its signal aborts', async (t) => {
  for (const timer of [realTimer, scaledTimer(0.5)]) {
    const stop = new AbortController()
    const sleeping = timer.sleep(60_000, stop.signal)
    stop.abort()
    await t.rejects(sleeping)
  }
})
