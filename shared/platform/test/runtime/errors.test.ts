import t from 'tap'
import { BrokerUnavailableError, DependencyUnavailableError, HandBackError, HeldElsewhereError, mustWait, retryAfterOf, SetAsideError } from '../../src/runtime/errors.js'

t.test('work must wait when a dependency is away or someone else holds it; not for any other error', async (t) => {
  t.equal(mustWait(new DependencyUnavailableError('Redis')), true)
  t.equal(mustWait(new HeldElsewhereError('order 1')), true)
  for (const err of [new SetAsideError('later'), new HandBackError('not mine'), new BrokerUnavailableError('down'), new Error('x'), 'text', undefined]) {
    t.equal(mustWait(err), false, String(err))
  }
})

t.test('an error says how long to wait only with a non-negative retryAfterMs', async (t) => {
  t.equal(retryAfterOf(Object.assign(new HeldElsewhereError('order 1'), { retryAfterMs: 1_500 })), 1_500)
  t.equal(retryAfterOf(Object.assign(new Error('x'), { retryAfterMs: 0 })), 0)
  t.equal(retryAfterOf(Object.assign(new Error('x'), { retryAfterMs: -1 })), undefined)
  t.equal(retryAfterOf(Object.assign(new Error('x'), { retryAfterMs: '10' })), undefined)
  t.equal(retryAfterOf(new Error('x')), undefined)
  t.equal(retryAfterOf(null), undefined)
})

t.test('errors carry their code, status and message for the problem details', async (t) => {
  t.match(new DependencyUnavailableError('the ticket store'), { code: 'DEPENDENCY_UNAVAILABLE', statusCode: 503, message: 'the ticket store is out of reach; try again shortly' })
  t.match(new HeldElsewhereError('order 1'), { code: 'HELD_ELSEWHERE', statusCode: 409 })
})
