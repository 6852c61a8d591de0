import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { buildHttpServer, REQUEST_ID_HEADER } from '../../src/http/server.js'
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
  t.match(shed.json(), { code: 'overloaded', title: 'The service, or one it needs, is unavailable; retry later' })
  t.ok(shed.headers['retry-after'], 'told when to come back')

  await sleep(2_500)
  t.equal((await app.inject({ url: '/work' })).statusCode, 200, 'served again once the loop keeps up')
})

t.test('a well-formed x-request-id is echoed as the correlation id; anything else is replaced by a fresh one', async (t) => {
  const app = await buildHttpServer(createLogger({ name: 'test', level: 'silent', pretty: false }))
  app.get('/id', async (request) => ({ id: request.id }))
  t.teardown(() => app.close())

  const kept = await app.inject({ url: '/id', headers: { [REQUEST_ID_HEADER]: 'order-42.retry:1' } })
  t.equal(kept.headers[REQUEST_ID_HEADER], 'order-42.retry:1')
  t.same(kept.json(), { id: 'order-42.retry:1' })
  const replaced = await app.inject({ url: '/id', headers: { [REQUEST_ID_HEADER]: 'has spaces\nand a newline' } })
  t.match(replaced.headers[REQUEST_ID_HEADER], /^[0-9a-f-]{36}$/)
})

t.test('a body with a property the schema does not know is refused with a problem naming it, not silently dropped', async (t) => {
  const app = await buildHttpServer(createLogger({ name: 'test', level: 'silent', pretty: false }))
  const schema = { body: { type: 'object', properties: { name: { type: 'string' } }, additionalProperties: false } }
  app.post('/things', { schema }, async () => ({ ok: true }))
  t.teardown(() => app.close())

  const refused = await app.inject({ method: 'POST', url: '/things', payload: { name: 'a', extra: 1 } })
  t.equal(refused.statusCode, 400)
  t.match(refused.json(), { code: 'validation-failed', invalidParams: [{ in: 'body', name: '/extra', reason: 'is not an accepted property' }] })
})
