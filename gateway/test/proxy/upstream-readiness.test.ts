import t from 'tap'
import { readinessOf } from '../../src/proxy/upstream-readiness.js'
import { startUpstream } from '../upstream.js'

t.test('a ready upstream gives its own readiness report', async (t) => {
  const { url } = await startUpstream(t)
  t.same(await readinessOf(url, 1_000), { status: 'ready' })
})

t.test('an upstream that is not ready throws with its status and its report', async (t) => {
  const { url } = await startUpstream(t, { ready: false })
  const failure = await readinessOf(url, 1_000).catch((err: unknown) => err)
  t.match(failure, { message: 'answered 503', cause: { code: 'not-ready', detail: 'rabbitmq is down' } })
})

t.test('an upstream that cannot be reached throws', async (t) => {
  await t.rejects(readinessOf('http://127.0.0.1:1', 1_000))
})
