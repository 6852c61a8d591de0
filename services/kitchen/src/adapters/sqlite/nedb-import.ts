import { readFileSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import type { Order } from '@restaurant/contracts/orders'
import type { Ticket } from '../../domain/ticket.js'

/** A line of nedb's file: a document, a deletion, or an index definition. */
interface NedbLine {
  _id?: string
  $$deleted?: boolean
  $$indexCreated?: unknown
  order?: Order
  fingerprint?: string
}

/**
 * Moves the tickets of the former embedded store (nedb's `tickets.db` in `dataDir`) into an empty SQLite store,
 * in one transaction, then renames the old file `tickets.db.migrated`. Returns how many tickets it imported.
 */
export function importNedbTickets(db: Database.Database, dataDir: string, insertTicket: (ticket: Ticket) => boolean): number {
  const filename = join(dataDir, 'tickets.db')
  const text = readIfPresent(filename)
  if (text === undefined) return 0
  const tickets = nedbTickets(text)
  // Immediate: of kitchens starting together, the first imports, the others then find the table filled.
  const imported = db
    .transaction(() => {
      if (db.prepare('SELECT 1 FROM tickets LIMIT 1').get() !== undefined) return undefined
      return tickets.filter((ticket) => insertTicket(ticket)).length
    })
    .immediate()
  if (imported === undefined) return 0
  renameSync(filename, `${filename}.migrated`)
  return imported
}

/** The documents the file holds at its end: nedb appends, so a later line of an `_id` replaces or deletes the earlier. */
export function nedbTickets(text: string): Ticket[] {
  const documents = new Map<string, NedbLine>()
  for (const line of text.split('\n')) {
    const parsed = parseLine(line)
    if (parsed?._id === undefined || parsed.$$indexCreated !== undefined) continue
    if (parsed.$$deleted === true) documents.delete(parsed._id)
    else documents.set(parsed._id, parsed)
  }
  return [...documents.values()].flatMap(({ order, fingerprint }) => (order ? [fingerprint === undefined ? { order } : { order, fingerprint }] : []))
}

/** Undefined for a blank line, or a torn one (a crash mid-append), which nedb's own loader also skipped. */
function parseLine(line: string): NedbLine | undefined {
  try {
    return line.trim() === '' ? undefined : (JSON.parse(line) as NedbLine)
  } catch {
    return undefined
  }
}

function readIfPresent(filename: string): string | undefined {
  try {
    return readFileSync(filename, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}
