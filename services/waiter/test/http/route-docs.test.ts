import t from 'tap'
import { Type } from 'typebox'
import { Problem, PROBLEM_CONTENT_TYPE } from '@restaurant/contracts/problem'
import { anyRequestErrors, invalid, json, location, problem } from '../../src/http/route-docs.js'

t.test('a JSON answer documents its schema under application/json, with headers only when given', async (t) => {
  const schema = Type.Object({ id: Type.String() })
  t.same(json('An order', schema), { description: 'An order', content: { 'application/json': { schema } } })
  t.same(json('An order', schema, location), { description: 'An order', headers: location, content: { 'application/json': { schema } } })
})

t.test('an error answer is problem+json with the one Problem schema', async (t) => {
  t.same(problem('No such thing'), { description: 'No such thing', content: { [PROBLEM_CONTENT_TYPE]: { schema: Problem } } })
  t.same(invalid.content, { [PROBLEM_CONTENT_TYPE]: { schema: Problem } })
})

t.test('what any route may answer covers the gateway and the waiter alike, each with a problem', async (t) => {
  t.same(Object.keys(anyRequestErrors).sort(), ['401', '403', '415', '429', '500', '503'])
  t.match(anyRequestErrors[429], { headers: { 'Retry-After': Object, 'RateLimit-Limit': Object } })
  t.match(anyRequestErrors[503], { headers: { 'Retry-After': Object } })
})
