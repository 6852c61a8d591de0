import t from 'tap'
import Fastify from 'fastify'
import { requestContexts } from '../../src/http/request-context.js'
import { alice } from '../use-cases/fake-ports.js'

t.test("a request's context carries its id, its verified caller and its logger", async (t) => {
  const app = Fastify({ genReqId: () => 'req-42' })
  t.teardown(() => app.close())
  const contextOf = requestContexts(() => alice)
  app.get('/', async (request) => {
    const context = contextOf(request)
    t.equal(context.log, request.log)
    return { requestId: context.requestId, identity: context.identity }
  })
  t.same((await app.inject({ method: 'GET', url: '/' })).json(), { requestId: 'req-42', identity: alice })
})
