import { randomBytes } from 'node:crypto'
import createError from '@fastify/error'
import type { AuditPage, AuditRecord } from '@restaurant/contracts/audit'
import type { Identity } from '@restaurant/contracts/identity'

export const AuditUnavailableError = createError('AUDIT_UNAVAILABLE', 'The action was not taken: its audit record could not be written', 503)

/** What a store is asked for: newest first, older than `cursor` (a record's id), matching every filter given. */
export interface AuditFilter {
  action?: string | undefined
  actor?: string | undefined
  /** An ISO time as `toISOString` writes it. */
  since?: string | undefined
  cursor?: string | undefined
  limit: number
}

/**
 * The audit log's port. Append-only: no method changes or removes a record, and the adapters offer none.
 */
export interface AuditLog {
  append(record: AuditRecord): Promise<void>
  read(filter: AuditFilter): Promise<AuditRecord[]>
  close(): Promise<void>
}

/** Who asks, under which request id: a request's context, or a CLI run's (cli-caller.ts). */
export interface AuditCaller {
  identity: Identity
  requestId: string
}

export interface AuditEntry {
  action: string
  target?: string | undefined
  detail?: Record<string, unknown>
}

// A detail names what was asked, never a credential: a field so named is left out whatever it holds.
const SECRET_FIELD = /secret|password|token|^key$/i

/** A record of `entry` done by `caller` at `at`: the actor is the identity's subject and roles, nothing more. */
export function buildAuditRecord(entry: AuditEntry, caller: AuditCaller, at: Date, outcome: AuditRecord['outcome'] = 'requested'): AuditRecord {
  const detail = Object.fromEntries(Object.entries(entry.detail ?? {}).filter(([name, value]) => !SECRET_FIELD.test(name) && value !== undefined))
  return {
    id: `${at.toISOString()}_${randomBytes(6).toString('hex')}`,
    at: at.toISOString(),
    actor: { subject: caller.identity.subject, roles: [...caller.identity.roles] },
    action: entry.action,
    ...(entry.target === undefined ? {} : { target: entry.target }),
    detail,
    requestId: caller.requestId,
    outcome,
  }
}

const codeOf = (error: unknown) => (error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'ERROR')

/**
 * Makes a change only once its record is written: a record that cannot be written refuses the change with
 * AuditUnavailableError (503), so that no change is made without its record. A change that then fails adds a
 * `failed` record; if that one cannot be written either, the `requested` record stands alone.
 */
export async function recordThen<T>(audit: AuditLog, caller: AuditCaller, entry: AuditEntry, change: () => Promise<T>): Promise<T> {
  try {
    await audit.append(buildAuditRecord(entry, caller, new Date()))
  } catch (err) {
    throw new AuditUnavailableError({ cause: err })
  }
  try {
    return await change()
  } catch (error) {
    const failed = { ...entry, detail: { ...entry.detail, error: codeOf(error) } }
    await audit.append(buildAuditRecord(failed, caller, new Date(), 'failed')).catch(() => undefined)
    throw error
  }
}

/** A page of records, newest first, with the cursor to the older ones when there may be more. */
export async function readAuditPage(audit: AuditLog, filter: AuditFilter): Promise<AuditPage> {
  const since = filter.since === undefined ? undefined : new Date(filter.since).toISOString()
  const records = await audit.read({ ...filter, since })
  const last = records.at(-1)
  return { records, ...(records.length === filter.limit && last ? { nextCursor: last.id } : {}) }
}
