import type { ApiKey, NewApiKeyBody } from '../auth/api-keys.js'
import { recordThen, type AuditCaller, type AuditLog } from './audit-log.js'

/** The key store's changes, as small as key management uses them. */
export interface ApiKeyChanges {
  create(body: NewApiKeyBody): Promise<{ key: string; apiKey: ApiKey }>
  revoke(id: string): Promise<ApiKey | undefined>
  list(): Promise<ApiKey[]>
}

/**
 * What admins do with API keys, through the API or the CLI: each creation and revocation is recorded first.
 * A key's id is made as it is created, so a creation's record names the key's name and roles.
 */
export function createKeyManagement(apiKeys: ApiKeyChanges, audit: AuditLog) {
  return {
    create: (body: NewApiKeyBody, caller: AuditCaller) =>
      recordThen(audit, caller, { action: 'api-key.created', detail: { name: body.name, roles: body.roles } }, () => apiKeys.create(body)),
    revoke: (id: string, caller: AuditCaller) => recordThen(audit, caller, { action: 'api-key.revoked', target: id }, () => apiKeys.revoke(id)),
    list: () => apiKeys.list(),
  }
}
export type KeyManagement = ReturnType<typeof createKeyManagement>
