import { Type, type Static } from 'typebox'
import { IdentitySchema } from './identity.js'

/**
 * The audit log: one record per mutating staff or admin action, through the API or a CLI. A record is written
 * before its change is made (`outcome: 'requested'`); a change that then fails adds a record with
 * `outcome: 'failed'` under the same request id.
 */
export const auditOutcomes = ['requested', 'failed'] as const

export const AuditRecordSchema = Type.Object({
  id: Type.String({ description: 'When it was written, then a random part: ids sort as the records were written' }),
  at: Type.String({ format: 'date-time' }),
  actor: IdentitySchema,
  action: Type.String({ description: 'What was done, e.g. `api-key.revoked`, `menu-item.changed`, `webhook.secret-rotated`' }),
  target: Type.Optional(Type.String({ description: 'What it was done to: an API key, a menu item, an order, a subscription, a queue' })),
  detail: Type.Record(Type.String(), Type.Unknown(), { description: 'A few facts of the request, never a secret' }),
  requestId: Type.String({ description: 'The request id (a CLI run has one of its own), as the logs carry it' }),
  outcome: Type.Enum(auditOutcomes),
})
export type AuditRecord = Static<typeof AuditRecordSchema>

export const AUDIT_PAGE_MAX = 500

export const AuditQuerySchema = Type.Object(
  {
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    actor: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "The actor's subject, e.g. `key:0123456789ab` or `cli:alice`" })),
    since: Type.Optional(Type.String({ format: 'date-time', description: 'Records written at or after this time' })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'The `nextCursor` of the page before: records older than those' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: AUDIT_PAGE_MAX, default: 100 })),
  },
  { additionalProperties: false },
)
export type AuditQuery = Static<typeof AuditQuerySchema>

export const AuditPageSchema = Type.Object({
  records: Type.Array(AuditRecordSchema, { description: 'Newest first' }),
  nextCursor: Type.Optional(Type.String({ description: 'Pass as `cursor` for older records; absent on the last page' })),
})
export type AuditPage = Static<typeof AuditPageSchema>
