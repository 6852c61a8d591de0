import type Database from 'better-sqlite3'
import { openDatabase } from '@restaurant/platform/stores/sqlite-database'

/** Opens (creating it if need be) the ticket database. */
export function openTicketDatabase(filename: string, nativeBinding?: string): Database.Database {
  return openDatabase(filename, SCHEMA, nativeBinding)
}

// `placed_at`, `status` and `owner` copy fields of the order for the list's indexes; `order_json` is the order.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS tickets (
  order_id TEXT PRIMARY KEY NOT NULL,
  placed_at TEXT NOT NULL,
  status TEXT NOT NULL,
  owner TEXT,
  order_json TEXT NOT NULL,
  fingerprint TEXT,
  committed_by INTEGER
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS tickets_newest ON tickets (placed_at DESC, order_id DESC);
CREATE INDEX IF NOT EXISTS tickets_by_status ON tickets (status, placed_at DESC, order_id DESC);
CREATE INDEX IF NOT EXISTS tickets_by_owner ON tickets (owner, placed_at DESC, order_id DESC);
CREATE TABLE IF NOT EXISTS claims (
  order_id TEXT NOT NULL,
  number INTEGER NOT NULL,
  holder TEXT NOT NULL,
  kitchen TEXT NOT NULL,
  started_at TEXT NOT NULL,
  lease TEXT NOT NULL,
  abandoned_at TEXT,
  PRIMARY KEY (order_id, number)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS leases (
  id TEXT PRIMARY KEY NOT NULL,
  kitchen TEXT NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS witness (
  order_id TEXT NOT NULL,
  claim INTEGER NOT NULL,
  unit INTEGER NOT NULL,
  kitchen TEXT NOT NULL,
  menu_item_id TEXT NOT NULL,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  abandoned_at TEXT,
  PRIMARY KEY (order_id, claim, unit)
) WITHOUT ROWID;
`
