import type { AuditLog } from '../audit/audit-log.js'
import { openChosenStore, type StoreSettings } from './chosen-store.js'
import { createMongoAuditLog } from './mongo-audit-log.js'
import { createSqliteAuditLog, isSqliteAuditUnavailable } from './sqlite-audit-log.js'

/**
 * The audit log where the waiter keeps its records: MongoDB (collection `audit_log`) when MONGO_URL is set,
 * otherwise `audit.sqlite` in DATA_DIR. The CLIs open it from the same settings. A read the store cannot serve
 * now fails with DependencyUnavailableError (503).
 */
export function openAuditLog(config: StoreSettings): Promise<AuditLog> {
  return openChosenStore('the audit log', config, { mongo: createMongoAuditLog, sqlite: createSqliteAuditLog, isSqliteUnavailable: isSqliteAuditUnavailable })
}
