import type { AuditLog } from '../audit/audit-log.js'
import { unavailableOnFailure } from '../runtime/dependencies.js'
import { isMongoUnavailable } from './mongo-errors.js'
import { createMongoAuditLog } from './mongo-audit-log.js'
import { createSqliteAuditLog, isSqliteAuditUnavailable } from './sqlite-audit-log.js'

export interface AuditStoreConfig {
  MONGO_URL?: string | undefined
  MONGO_DB: string
  DATA_DIR: string
}

/**
 * The audit log where the waiter keeps its records: MongoDB (collection `audit_log`) when MONGO_URL is set,
 * otherwise `audit.sqlite` in DATA_DIR. The CLIs open it from the same settings. A read the store cannot serve
 * now fails with DependencyUnavailableError (503).
 */
export async function openAuditLog(config: AuditStoreConfig): Promise<AuditLog> {
  return config.MONGO_URL
    ? unavailableOnFailure('the audit log', await createMongoAuditLog({ url: config.MONGO_URL, dbName: config.MONGO_DB }), isMongoUnavailable)
    : unavailableOnFailure('the audit log', await createSqliteAuditLog({ dataDir: config.DATA_DIR }), isSqliteAuditUnavailable)
}
