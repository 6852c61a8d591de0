import t from 'tap'
import Fastify from 'fastify'
import { someReplicaAnswers, upstreamAnswers } from '../../src/proxy/upstream-answers.js'
import { freePort } from '../../../test/support/processes.js'
import { startUpstream } from '../upstream.js'

t.test('an upstream that answers on its public port, whatever the route says, is reached', async (t) => {
  const { url } = await startUpstream(t)
  await t.resolves(upstreamAnswers(url, 1_000))
})

t.test('an upstream answering 5xx (closing, shedding load) counts as down, with its status', async (t) => {
  const upstream = Fastify()
  upstream.all('/*', async (_request, reply) => reply.code(503).send())
  t.teardown(() => upstream.close())
  await t.rejects(upstreamAnswers(await upstream.listen({ host: '127.0.0.1', port: 0 }), 1_000), { message: 'answered 503' })
})

t.test('an upstream that cannot be reached counts as down, saying why', async (t) => {
  const nobody = await freePort()
  await t.rejects(upstreamAnswers(`http://127.0.0.1:${nobody}`, 1_000), { message: `no answer: connect ECONNREFUSED 127.0.0.1:${nobody}` })
})

t.test('replicas are reached while any one of them answers; when none does, the first says why', async (t) => {
  const { url } = await startUpstream(t)
  const [gone, alsoGone] = [`127.0.0.1:${await freePort()}`, `127.0.0.1:${await freePort()}`]
  await t.resolves(someReplicaAnswers([`http://${gone}`, url], 1_000))
  await t.rejects(someReplicaAnswers([`http://${gone}`, `http://${alsoGone}`], 1_000), { message: `no answer: connect ECONNREFUSED ${gone}` })
})
