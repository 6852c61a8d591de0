import t from 'tap'
import { Value } from 'typebox/value'
import { anonymous, IdentitySchema } from '../src/identity.js'

t.test('an identity names a subject and roles from the known set', async (t) => {
  t.ok(Value.Check(IdentitySchema, { subject: 'alice', roles: ['customer', 'staff'] }))
  t.notOk(Value.Check(IdentitySchema, { subject: 'alice', roles: ['root'] }))
  t.notOk(Value.Check(IdentitySchema, { subject: '', roles: [] }))
})

t.test('the anonymous caller holds no role', async (t) => {
  t.same(anonymous.roles, [])
  t.ok(Value.Check(IdentitySchema, anonymous))
})
