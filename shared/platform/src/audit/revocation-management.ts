import type { NewRevocationBody, Revocations, SubjectRevocation, TokenRevocation } from '../auth/revocations.js'
import { recordThen, type AuditCaller, type AuditLog } from './audit-log.js'

/** The revocation of people's tokens, as small as its management uses it. */
export interface TokenRevoking {
  revoke(body: NewRevocationBody): Promise<SubjectRevocation | TokenRevocation>
  revocations(): Promise<Revocations>
}

/** What admins do with people's tokens (JWTs): each revocation, by subject or by token id, is recorded first. */
export function createRevocationManagement(credentials: TokenRevoking, audit: AuditLog) {
  return {
    revoke(body: NewRevocationBody, caller: AuditCaller) {
      const entry = 'subject' in body ? { action: 'tokens.revoked', target: body.subject, detail: { by: 'subject' } } : { action: 'token.revoked', target: body.tokenId, detail: { by: 'token id' } }
      return recordThen(audit, caller, entry, () => credentials.revoke(body))
    },
    revocations: () => credentials.revocations(),
  }
}
export type RevocationManagement = ReturnType<typeof createRevocationManagement>
