import { AuditPageSchema, AuditQuerySchema } from '@restaurant/contracts/audit'
import { readAuditPage, type AuditLog } from '@restaurant/platform/audit/audit-log'
import type { HttpServer } from '@restaurant/platform/http/server'
import { anyRequestErrors, invalid, json } from './route-docs.js'

const DEFAULT_LIMIT = 100

const readAudit = {
  schema: {
    tags: ['audit'],
    summary: 'Read the audit log',
    description:
      'Admins only. Every change staff and admins made, through the API or a CLI (API keys, the menu, cancellations by ' +
      'staff, webhooks, dead-letter replays), newest first. Each is recorded before it is made; one that then failed ' +
      'has a second record, `outcome: failed`, under the same `requestId`.',
    querystring: AuditQuerySchema,
    response: { 200: json('Records, newest first, and the cursor to older ones', AuditPageSchema), 400: invalid, ...anyRequestErrors },
  },
}

/** The audit log as admins read it. */
export function registerAuditRoutes(app: HttpServer, audit: AuditLog): void {
  app.get('/api/audit', readAudit, async (request) => readAuditPage(audit, { ...request.query, limit: request.query.limit ?? DEFAULT_LIMIT }))
}
