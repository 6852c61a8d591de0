import type { AuditRecord } from '@restaurant/contracts/audit'
import type { AuditLog } from '../../src/audit/audit-log.js'

/** An audit log in an array, newest last; `down` makes every append fail as a store that cannot serve would. */
export function memoryAuditLog() {
  const records: AuditRecord[] = []
  const state = { down: false, records }
  const audit: AuditLog = {
    async append(record) {
      if (state.down) throw new Error('the audit store is down')
      records.push(record)
    },
    read: async ({ action, limit }) => records.filter((record) => action === undefined || record.action === action).reverse().slice(0, limit),
    close: async () => undefined,
  }
  return Object.assign(state, { audit })
}
