import t from 'tap'
import type { ApiKey } from '../../src/auth/api-keys.js'
import { createKeyManagement } from '../../src/audit/key-management.js'
import { createRevocationManagement } from '../../src/audit/revocation-management.js'
import { memoryAuditLog } from './memory-audit-log.js'

const caller = { identity: { subject: 'cli:ops', roles: ['admin' as const] }, requestId: 'cli-1' }
const till: ApiKey = { id: '0123456789ab', name: 'till', roles: ['staff'], createdAt: '2026-11-30T00:00:00.000Z' }
const revokedAt = '2026-11-30T01:00:00.000Z'

t.test("a key's creation is recorded with its name and roles, never its secret; a revocation with the key's id", async (t) => {
  const log = memoryAuditLog()
  const keys = createKeyManagement(
    { create: async () => ({ key: 'rk_0123456789ab_secret', apiKey: till }), revoke: async () => ({ ...till, revokedAt }), list: async () => [till] },
    log.audit,
  )
  t.equal((await keys.create({ name: 'till', roles: ['staff'] }, caller)).key, 'rk_0123456789ab_secret')
  await keys.revoke(till.id, caller)
  t.match(log.records, [
    { action: 'api-key.created', detail: { name: 'till', roles: ['staff'] }, actor: { subject: 'cli:ops' }, requestId: 'cli-1' },
    { action: 'api-key.revoked', target: till.id },
  ])
  t.notOk(JSON.stringify(log.records).includes('rk_'))
})

t.test("people's tokens revoked by subject or by id are recorded as such; with no record, none is revoked", async (t) => {
  const log = memoryAuditLog()
  const revoked: object[] = []
  const revocations = createRevocationManagement(
    {
      revoke: async (body) => (revoked.push(body), 'subject' in body ? { subject: body.subject, revokedAt } : { ...body, revokedAt }),
      revocations: async () => ({ subjects: [], tokens: [] }),
    },
    log.audit,
  )
  await revocations.revoke({ subject: 'alice' }, caller)
  await revocations.revoke({ tokenId: 'jti-1', expiresAt: revokedAt }, caller)
  t.match(log.records, [
    { action: 'tokens.revoked', target: 'alice', detail: { by: 'subject' } },
    { action: 'token.revoked', target: 'jti-1', detail: { by: 'token id' } },
  ])
  log.down = true
  await t.rejects(revocations.revoke({ subject: 'bob' }, caller), { code: 'AUDIT_UNAVAILABLE', statusCode: 503 })
  t.equal(revoked.length, 2, 'bob was not revoked')
})
