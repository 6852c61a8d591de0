import Fastify from 'fastify'
import t from 'tap'
import { requireJsonBodies } from '../../src/http/json-only.js'

async function echo() {
  const app = Fastify()
  requireJsonBodies(app)
  app.post('/echo', async (request) => ({ got: request.body ?? null }))
  await app.ready()
  return app
}

t.test('a body declared as plain JSON, with or without a UTF-8 charset, is accepted', async (t) => {
  const app = await echo()
  t.teardown(() => app.close())
  for (const type of ['application/json', 'application/json; charset=utf-8', 'Application/JSON;charset=UTF-8']) {
    const reply = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': type }, payload: '{"a":1}' })
    t.equal(reply.statusCode, 200, type)
  }
})

t.test('a body of any looser or other type is refused with 415 before it is parsed', async (t) => {
  const app = await echo()
  t.teardown(() => app.close())
  for (const type of ['application/json;', ' application/json', 'text/plain', 'application/json; charset=latin1']) {
    const reply = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': type }, payload: '{"a":1}' })
    t.equal(reply.statusCode, 415, JSON.stringify(type))
  }
  const untyped = await app.inject({ method: 'POST', url: '/echo', payload: Buffer.from('{"a":1}') })
  t.equal(untyped.statusCode, 415, 'no type at all')
})

t.test('a request without a body is not asked for a type', async (t) => {
  const app = await echo()
  t.teardown(() => app.close())
  const reply = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'text/plain' } })
  t.equal(reply.statusCode, 200)
})
