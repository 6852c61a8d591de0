import type { Test } from 'tap'
import { buildAuditRecord, type AuditCaller, type AuditEntry, type AuditLog } from '../../src/audit/audit-log.js'

export interface AuditLogContractOptions {
  /** A new, empty log, closed when the test ends, and a way to open it again over the same records. */
  makeLog: (t: Test) => Promise<{ store: AuditLog; reopen: () => Promise<AuditLog> }>
}

const admin: AuditCaller = { identity: { subject: 'user:ada', roles: ['admin'] }, requestId: 'req-ada' }
const staff: AuditCaller = { identity: { subject: 'user:sam', roles: ['staff'] }, requestId: 'req-sam' }

/** Appends records one millisecond apart from `start`, so that their order is known. */
async function appendInTurn(log: AuditLog, entries: readonly [AuditEntry, AuditCaller][], start = Date.parse('2026-11-30T20:00:00.000Z')) {
  const records = entries.map(([entry, caller], n) => buildAuditRecord(entry, caller, new Date(start + n)))
  for (const record of records) await log.append(record)
  return records
}

/** The audit log's contract: what is appended is read back as it was, newest first, filtered and paged; nothing else. */
export function auditLogContract(t: Test, { makeLog }: AuditLogContractOptions): void {
  t.test('offers append and read (and close): no way to change or remove a record', async (t) => {
    const { store } = await makeLog(t)
    t.same(Object.keys(store).sort(), ['append', 'close', 'read'])
  })

  t.test('reads records back as written, newest first, also once opened again', async (t) => {
    const { store, reopen } = await makeLog(t)
    const written = await appendInTurn(store, [
      [{ action: 'api-key.created', detail: { name: 'till', roles: ['staff'] } }, admin],
      [{ action: 'menu-item.availability-changed', target: 'soup', detail: { available: false } }, staff],
    ])
    t.same(await store.read({ limit: 10 }), written.slice().reverse())
    t.same(await (await reopen()).read({ limit: 10 }), written.slice().reverse())
  })

  t.test('filters by action, by actor and by time, together too', async (t) => {
    const { store } = await makeLog(t)
    const [early, , late, last] = await appendInTurn(store, [
      [{ action: 'webhook.paused', target: 'wh_1' }, admin],
      [{ action: 'webhook.resumed', target: 'wh_1' }, admin],
      [{ action: 'webhook.paused', target: 'wh_2' }, admin],
      [{ action: 'webhook.paused', target: 'wh_3' }, staff],
    ])
    const ids = async (filter: Parameters<AuditLog['read']>[0]) => (await store.read(filter)).map((record) => record.id)
    t.same(await ids({ action: 'webhook.paused', limit: 10 }), [last?.id, late?.id, early?.id])
    t.same(await ids({ actor: 'user:ada', action: 'webhook.paused', limit: 10 }), [late?.id, early?.id])
    t.same(await ids({ since: late?.at, limit: 10 }), [last?.id, late?.id])
    t.same(await ids({ action: 'nothing.done', limit: 10 }), [])
  })

  t.test('pages from a cursor, each page older than the one before, none twice', async (t) => {
    const { store } = await makeLog(t)
    const written = await appendInTurn(
      store,
      Array.from({ length: 5 }, (_, n) => [{ action: 'order.cancelled-by-staff', target: `order-${n}` }, staff] as [AuditEntry, AuditCaller]),
    )
    const first = await store.read({ limit: 2 })
    const second = await store.read({ limit: 2, cursor: first.at(-1)?.id })
    const third = await store.read({ limit: 2, cursor: second.at(-1)?.id })
    t.same([...first, ...second, ...third].map((record) => record.target), written.map((record) => record.target).reverse())
  })
}
