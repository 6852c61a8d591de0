import t from 'tap'
import type { Problem } from '@restaurant/contracts/problem'
import { admin } from '../support/credentials.js'
import { startInProcessSystem } from '../support/in-process-system.js'

const inward = [
  'http://127.0.0.1/hooks',
  'https://127.0.0.1/hooks',
  'https://[::1]/hooks',
  'https://10.0.0.1/hooks',
  'https://169.254.169.254/latest/meta-data',
  'https://[::ffff:127.0.0.1]/hooks',
  'https://localhost/hooks',
  'https://user:secret@partner.example/hooks',
]

t.test('a subscription to a loopback, private, link-local or metadata address is refused with 422 naming the url, and nothing is stored', async (t) => {
  const system = await startInProcessSystem(t, { WEBHOOK_ALLOW_PRIVATE_DESTINATIONS: 'false' })
  for (const url of inward) {
    const answer = await system.inject({ method: 'POST', url: '/api/webhooks', payload: { url, types: ['order.placed'] } }, admin)
    t.equal(answer.statusCode, 422, url)
    t.match(answer.json<Problem>(), { code: 'webhook-url-refused', invalidParams: [{ name: '/url', reason: String }] }, `${url}: ${answer.json<Problem>().title}`)
  }
  const listed = await system.inject({ method: 'GET', url: '/api/webhooks' }, admin)
  t.same(listed.json(), { subscriptions: [] })
})

t.test('a malformed subscription is a 400 naming its field, never a 500', async (t) => {
  const system = await startInProcessSystem(t)
  const cases = [
    { payload: { url: 'not a url', types: ['order.placed'] }, field: '/url' },
    { payload: { url: 'https://partner.example/hooks', types: [] }, field: '/types' },
    { payload: { url: 'https://partner.example/hooks', types: ['order.eaten'] }, field: '/types/0' },
    { payload: { url: 'https://partner.example/hooks', types: ['order.placed'], scopes: ['everything'] }, field: '/scopes/0' },
  ]
  for (const { payload, field } of cases) {
    const answer = await system.inject({ method: 'POST', url: '/api/webhooks', payload }, admin)
    t.equal(answer.statusCode, 400, JSON.stringify(payload))
    t.ok(answer.json<Problem>().invalidParams?.some(({ name }) => name === field), `names ${field}`)
  }
  const unknown = await system.inject({ method: 'GET', url: '/api/webhooks/wh_00000000000000000000000000000000' }, admin)
  t.equal(unknown.statusCode, 404)
  const badCursor = await system.inject({ method: 'GET', url: '/api/events?after=-1&types=order.eaten' }, admin)
  t.equal(badCursor.statusCode, 400)
})
