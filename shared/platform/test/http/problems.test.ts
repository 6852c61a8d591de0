import createError from '@fastify/error'
import Fastify from 'fastify'
import t from 'tap'
import { answerRouterError, problemCode, registerProblemHandlers } from '../../src/http/problems.js'

t.test("an error's code becomes a problem code: Fastify's by name, ours in kebab case", async (t) => {
  t.equal(problemCode({ code: 'FST_ERR_CTP_INVALID_JSON_BODY', name: 'FastifyError' }), 'malformed-json')
  t.equal(problemCode({ code: 'FST_ERR_SOMETHING_NEW', name: 'FastifyError' }), 'something-new')
  t.equal(problemCode({ code: 'BROKER_UNAVAILABLE', name: 'FastifyError' }), 'broker-unavailable')
  t.equal(problemCode({ code: 'X', name: 'SyntaxError' }), 'malformed-json')
  t.equal(problemCode({ code: 'X', name: 'FastifyError', validation: [] }), 'validation-failed')
})

async function throwing(error: Error) {
  const app = Fastify({ logger: false })
  registerProblemHandlers(app)
  app.get('/fail', async () => {
    throw error
  })
  t.teardown(() => app.close())
  return app.inject({ url: '/fail' })
}

t.test('a client error keeps its message and status, as problem+json', async (t) => {
  const reply = await throwing(new (createError('ORDER_GONE', 'Order %s is gone', 410))('o-1'))
  t.equal(reply.statusCode, 410)
  t.match(reply.headers['content-type'], /^application\/problem\+json/)
  t.match(reply.json(), { status: 410, code: 'order-gone', title: 'Order o-1 is gone', instance: '/fail' })
})

t.test('a server error is answered without its message', async (t) => {
  const reply = await throwing(new Error('secret internals at /var/lib/db'))
  t.equal(reply.statusCode, 500)
  t.match(reply.json(), { code: 'internal-error', title: 'Internal server error' })
  t.notMatch(reply.body, /secret internals/)
})

t.test('a 503 says when to come back: two seconds unless the error says otherwise', async (t) => {
  const plain = await throwing(new (createError('BROKER_UNAVAILABLE', 'The broker at amqp://10.1.2.3 refused: %s', 503))('ECONNREFUSED'))
  t.equal(plain.headers['retry-after'], '2')
  t.match(plain.json(), { code: 'broker-unavailable', title: 'The service, or one it needs, is unavailable; retry later' }, 'its code says what; its title is fixed')
  t.notMatch(plain.body, /10\.1\.2\.3|ECONNREFUSED/, 'no address, no driver message: those are logged')
  const told = await throwing(Object.assign(new (createError('BUSY', 'Busy', 503))(), { retryAfterSeconds: 30 }))
  t.equal(told.headers['retry-after'], '30')
})

t.test('an unknown route is a not-found problem naming it without its query', async (t) => {
  const app = Fastify({ logger: false })
  registerProblemHandlers(app)
  t.teardown(() => app.close())
  const reply = await app.inject({ url: '/nowhere?token=abc' })
  t.equal(reply.statusCode, 404)
  t.match(reply.json(), { code: 'not-found', title: 'No route GET /nowhere' })
})

t.test("the router's own refusals are problems too, and never echo the URL", async (t) => {
  const app = Fastify({ logger: false, frameworkErrors: answerRouterError })
  registerProblemHandlers(app)
  app.get('/api/orders/:id', async () => ({}))
  t.teardown(() => app.close())
  const long = await app.inject({ url: `/api/orders/${'a'.repeat(3_000)}` })
  t.equal(long.statusCode, 414)
  t.match(long.headers['content-type'], /^application\/problem\+json/)
  t.match(long.json(), { status: 414, code: 'url-too-long' })
  t.ok(long.body.length < 300 && !long.body.includes('aaaaaaaa'), 'the URL is not echoed')
  const malformed = await app.inject({ url: '/api/orders/%E0%A4%A' })
  t.match(malformed.json(), { status: 400, code: 'malformed-url' })
})
