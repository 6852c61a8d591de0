import t from 'tap'
import { buildProblem } from '../src/problem.js'

t.test('a problem names its code twice: as a field and as the last segment of its type', async (t) => {
  t.same(buildProblem(404, 'order-not-found', 'No order with id x'), {
    type: '/problems/order-not-found',
    title: 'No order with id x',
    status: 404,
    code: 'order-not-found',
  })
})

t.test('a problem carries the extras it is given', async (t) => {
  const invalidParams = [{ in: 'body', name: '/items', reason: 'too many' }]
  t.same(buildProblem(422, 'validation-failed', 'Invalid', { invalidParams }).invalidParams, invalidParams)
})
