import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { buildHttpServer } from '../../src/http/server.js'
import { createLogger } from '../../src/runtime/logger.js'

/** Keeps the event loop busy in 100 ms slices, as a CPU-bound burst would, for about `ms`. */
async function overload(ms: number): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(0)) {
    const sliceEnd = Date.now() + 100
    while (Date.now() < sliceEnd);
  }
}

t.test('a service whose event loop falls behind sheds requests with a 503 problem, then recovers', async (t) => {
  const app = await buildHttpServer(createLogger({ name: 'test', level: 'silent', pretty: false }), { maxEventLoopDelayMs: 50 })
  app.get('/work', async () => ({ done: true }))
  t.teardown(() => app.close())
  await app.ready()
  t.equal((await app.inject({ url: '/work' })).statusCode, 200)

  // under-pressure samples the mean delay about once a second.
  await overload(1_500)
  const shed = await app.inject({ url: '/work' })
  t.equal(shed.statusCode, 503)
  t.match(shed.json(), { code: 'overloaded', title: /overloaded \(eventLoopDelay\)/ })
  t.ok(shed.headers['retry-after'], 'told when to come back')

  await sleep(2_500)
  t.equal((await app.inject({ url: '/work' })).statusCode, 200, 'served again once the loop keeps up')
})
