import t from 'tap'
import { bearer, staff } from '../../../test/support/credentials.js'
import { startGateway } from '../../../test/support/gateway.js'
import { endlessStreams } from '../upstream.js'

t.test('a credential holds at most MAX_STREAMS_PER_CREDENTIAL open streams across gateways; a closed one gives its place back', async (t) => {
  const upstream = await endlessStreams(t)
  const first = await startGateway(t, upstream, { MAX_STREAMS_PER_CREDENTIAL: '2' })
  const second = await startGateway(t, upstream, { MAX_STREAMS_PER_CREDENTIAL: '2', REDIS_PREFIX: first.config.REDIS_PREFIX })
  const urls = [await first.gateway.listen({ host: '127.0.0.1', port: 0 }), await second.gateway.listen({ host: '127.0.0.1', port: 0 })]
  const open = (url: string, controller = new AbortController()) =>
    fetch(`${url}/api/orders/events`, { headers: { accept: 'text/event-stream', ...bearer(staff) }, signal: controller.signal }).then((response) => ({ response, controller }))
  const [one, two] = [await open(urls[0] ?? ''), await open(urls[1] ?? '')]
  t.same([one.response.status, two.response.status], [200, 200])
  const third = await open(urls[0] ?? '')
  t.equal(third.response.status, 429, 'a third, on either gateway, is refused')
  t.match(await third.response.json(), { code: 'too-many-streams' })
  one.controller.abort()
  const again = await (async () => {
    for (let tries = 0; tries < 50; tries++) {
      const attempt = await open(urls[1] ?? '')
      if (attempt.response.status === 200) return attempt
      await attempt.response.body?.cancel()
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    return undefined
  })()
  t.ok(again, 'once one closed, another may open')
  again?.controller.abort()
  two.controller.abort()
})
