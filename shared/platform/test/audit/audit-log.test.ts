import t from 'tap'
import { buildAuditRecord, readAuditPage, recordThen, type AuditCaller } from '../../src/audit/audit-log.js'
import { memoryAuditLog } from './memory-audit-log.js'

const caller: AuditCaller = { identity: { subject: 'key:0123456789ab', roles: ['admin'] }, requestId: 'req-1' }

t.test('a record carries who (subject and roles), what, on what, when and the request id', async (t) => {
  const at = new Date('2026-11-30T23:00:00.000Z')
  const withExtras = { ...caller, identity: { ...caller.identity, extra: 'not recorded' } }
  const record = buildAuditRecord({ action: 'api-key.revoked', target: 'abc', detail: { reason: 'lost' } }, withExtras, at)
  t.match(record, { at: '2026-11-30T23:00:00.000Z', action: 'api-key.revoked', target: 'abc', detail: { reason: 'lost' }, requestId: 'req-1', outcome: 'requested' })
  t.same(record.actor, { subject: 'key:0123456789ab', roles: ['admin'] })
  t.ok(record.id.startsWith('2026-11-30T23:00:00.000Z_'), 'its id begins with its time')
})

t.test('a detail never carries a field named like a credential', async (t) => {
  const detail = { name: 'till', secret: 's', webhookSecret: 's', password: 'p', token: 't', key: 'k', roles: ['staff'] }
  t.same(buildAuditRecord({ action: 'x', detail }, caller, new Date()).detail, { name: 'till', roles: ['staff'] })
})

t.test('record ids sort as they were written, and two at the same instant differ', async (t) => {
  const [early, late] = [new Date('2026-01-01T00:00:00.000Z'), new Date('2026-01-01T00:00:00.001Z')]
  const ids = [buildAuditRecord({ action: 'x' }, caller, early).id, buildAuditRecord({ action: 'x' }, caller, early).id, buildAuditRecord({ action: 'x' }, caller, late).id]
  t.not(ids[0], ids[1])
  t.ok([ids[0], ids[1]].every((id) => (id ?? '') < (ids[2] ?? '')))
})

t.test('a change is made only after its record is written', async (t) => {
  const log = memoryAuditLog()
  const result = await recordThen(log.audit, caller, { action: 'menu-item.changed', target: 'soup' }, async () => {
    t.equal(log.records.length, 1, 'the record is there when the change runs')
    return 'changed'
  })
  t.equal(result, 'changed')
  t.match(log.records, [{ action: 'menu-item.changed', target: 'soup', outcome: 'requested' }])
})

t.test('a record that cannot be written refuses the change with 503', async (t) => {
  const log = memoryAuditLog()
  log.down = true
  let changed = false
  const refused = recordThen(log.audit, caller, { action: 'api-key.revoked', target: 'abc' }, async () => {
    changed = true
  })
  await t.rejects(refused, { code: 'AUDIT_UNAVAILABLE', statusCode: 503 })
  t.equal(changed, false, 'nothing was changed')
})

t.test('a change that fails adds a failed record with its code, and fails as it did', async (t) => {
  const log = memoryAuditLog()
  const failure = Object.assign(new Error('no such subscription'), { code: 'WEBHOOK_NOT_FOUND' })
  await t.rejects(recordThen(log.audit, caller, { action: 'webhook.paused', target: 'wh_1' }, () => Promise.reject(failure)), failure)
  t.match(log.records, [
    { action: 'webhook.paused', target: 'wh_1', outcome: 'requested', requestId: 'req-1' },
    { action: 'webhook.paused', target: 'wh_1', outcome: 'failed', requestId: 'req-1', detail: { error: 'WEBHOOK_NOT_FOUND' } },
  ])
})

t.test('a page that is full points on to older records; a shorter one is the last', async (t) => {
  const log = memoryAuditLog()
  for (const target of ['a', 'b', 'c']) await log.audit.append(buildAuditRecord({ action: 'x', target }, caller, new Date()))
  const full = await readAuditPage(log.audit, { limit: 2 })
  t.same(full.records.map((record) => record.target), ['c', 'b'])
  t.equal(full.nextCursor, full.records[1]?.id)
  t.equal((await readAuditPage(log.audit, { limit: 5 })).nextCursor, undefined)
})
