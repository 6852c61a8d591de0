import { randomUUID } from 'node:crypto'
import { userInfo } from 'node:os'
import type { AuditCaller } from './audit-log.js'

/** Whoever runs a CLI on the host: an operator, with an admin's reach, named after their account. */
export function cliCaller(): AuditCaller {
  return { identity: { subject: `cli:${osUser()}`, roles: ['admin'] }, requestId: `cli-${randomUUID()}` }
}

function osUser(): string {
  try {
    return userInfo().username
  } catch {
    // A container's user may have no passwd entry: its uid names it then.
    return `uid-${process.getuid?.() ?? 'unknown'}`
  }
}
