import t from 'tap'
import { withoutFailing } from '../../src/use-cases/without-failing.js'
import { alice, messages, requestFrom } from './fake-ports.js'

t.test('what succeeds is answered, and nothing is logged', async (t) => {
  const ctx = requestFrom(alice)
  t.equal(await withoutFailing('read', async () => 'the view', ctx), 'the view')
  t.same(ctx.lines, [])
})

t.test('what fails is answered as nothing, and logged once under a constant message with the operation', async (t) => {
  const ctx = requestFrom(alice)
  t.equal(await withoutFailing('read', async () => Promise.reject(new Error('connection lost')), ctx), undefined)
  t.match(messages(ctx.lines, "order view unavailable; using the kitchen's record"), [{ level: 40, operation: 'read', err: { message: 'connection lost' } }])
  t.equal(ctx.lines.length, 1)
})
