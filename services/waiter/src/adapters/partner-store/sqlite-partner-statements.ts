import type Database from 'better-sqlite3'
import type { FeedEvent, PartnerEvent } from '@restaurant/contracts/partners'
import type { DeliveryAttempt, HeldDelivery, WebhookSubscription } from '../../use-cases/partner-store.js'

/**
 * The partner database. The feed's `sequence` is AUTOINCREMENT so that a number is never given twice, not even
 * once pruning removed the newest events (a plain rowid would start again after the largest left, and a cursor
 * past it would skip what came next). Each table's `seq` orders rows of equal time as they were written.
 */
export const PARTNER_SCHEMA = `
CREATE TABLE IF NOT EXISTS webhook_subscriptions (
  id TEXT PRIMARY KEY NOT NULL,
  created_at TEXT NOT NULL,
  subscription_json TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS webhook_deliveries (
  seq INTEGER PRIMARY KEY,
  subscription_id TEXT NOT NULL,
  at TEXT NOT NULL,
  attempt_json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS webhook_deliveries_newest ON webhook_deliveries (subscription_id, at DESC, seq DESC);
CREATE TABLE IF NOT EXISTS webhook_held (
  seq INTEGER PRIMARY KEY,
  subscription_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  held_at TEXT NOT NULL,
  delivery_json TEXT NOT NULL,
  UNIQUE (subscription_id, event_id)
);
CREATE INDEX IF NOT EXISTS webhook_held_oldest ON webhook_held (subscription_id, held_at, seq);
CREATE TABLE IF NOT EXISTS partner_feed (
  sequence INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  appended_at INTEGER NOT NULL,
  event_json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS partner_feed_by_type ON partner_feed (type, sequence);
CREATE INDEX IF NOT EXISTS partner_feed_appended ON partner_feed (appended_at);
`

const parsed = <T>(row: { json: string }): T => JSON.parse(row.json) as T

/** The subscriptions' statements, prepared once; the caller holds the transaction. */
export function subscriptionStatements(db: Database.Database) {
  const insert = db.prepare<[string, string, string]>('INSERT INTO webhook_subscriptions VALUES (?, ?, ?)')
  const get = db.prepare<[string], { json: string }>('SELECT subscription_json AS json FROM webhook_subscriptions WHERE id = ?')
  const list = db.prepare<[], { json: string }>('SELECT subscription_json AS json FROM webhook_subscriptions ORDER BY created_at, id')
  const update = db.prepare<[string, string]>('UPDATE webhook_subscriptions SET subscription_json = ? WHERE id = ?')
  const remove = db.prepare<[string]>('DELETE FROM webhook_subscriptions WHERE id = ?')
  const removeLog = db.prepare<[string]>('DELETE FROM webhook_deliveries WHERE subscription_id = ?')
  const removeHeld = db.prepare<[string]>('DELETE FROM webhook_held WHERE subscription_id = ?')
  return {
    create: (subscription: WebhookSubscription) => void insert.run(subscription.id, subscription.createdAt, JSON.stringify(subscription)),
    get: (id: string) => {
      const row = get.get(id)
      return row && parsed<WebhookSubscription>(row)
    },
    list: () => list.all().map((row) => parsed<WebhookSubscription>(row)),
    update: (subscription: WebhookSubscription) => update.run(JSON.stringify(subscription), subscription.id).changes > 0,
    delete: (id: string) => {
      removeLog.run(id)
      removeHeld.run(id)
      return remove.run(id).changes > 0
    },
  }
}

/** The delivery log's and the held deliveries' statements. */
export function deliveryStatements(db: Database.Database) {
  const insert = db.prepare<[string, string, string]>('INSERT INTO webhook_deliveries (subscription_id, at, attempt_json) VALUES (?, ?, ?)')
  // Walks the subscription's index past the newest `keep`: what is left is what the log no longer keeps.
  const trim = db.prepare<[string, number]>(
    'DELETE FROM webhook_deliveries WHERE seq IN (SELECT seq FROM webhook_deliveries WHERE subscription_id = ? ORDER BY at DESC, seq DESC LIMIT -1 OFFSET ?)',
  )
  const recent = db.prepare<[string, number], { json: string }>(
    'SELECT attempt_json AS json FROM webhook_deliveries WHERE subscription_id = ? ORDER BY at DESC, seq DESC LIMIT ?',
  )
  const hold = db.prepare<[string, string, string, string]>(
    'INSERT INTO webhook_held (subscription_id, event_id, held_at, delivery_json) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
  )
  const held = db.prepare<[string, number], { json: string }>(
    'SELECT delivery_json AS json FROM webhook_held WHERE subscription_id = ? ORDER BY held_at, seq LIMIT ?',
  )
  const release = db.prepare<[string, string]>('DELETE FROM webhook_held WHERE subscription_id = ? AND event_id IN (SELECT value FROM json_each(?))')
  return {
    record: (attempt: DeliveryAttempt, keep: number) => {
      insert.run(attempt.subscriptionId, attempt.at, JSON.stringify(attempt))
      trim.run(attempt.subscriptionId, keep)
    },
    recent: (subscriptionId: string, limit: number) => recent.all(subscriptionId, limit).map((row) => parsed<DeliveryAttempt>(row)),
    hold: (delivery: HeldDelivery) => void hold.run(delivery.subscriptionId, delivery.event.id, delivery.heldAt, JSON.stringify(delivery)),
    held: (subscriptionId: string, limit: number) => held.all(subscriptionId, limit).map((row) => parsed<HeldDelivery>(row)),
    release: (subscriptionId: string, eventIds: readonly string[]) => void release.run(subscriptionId, JSON.stringify(eventIds)),
  }
}

/** The feed's statements. */
export function feedStatements(db: Database.Database) {
  const appended = db.prepare<[string], { found: 1 }>('SELECT 1 AS found FROM partner_feed WHERE event_id = ?')
  const append = db.prepare<[string, string, number, string]>('INSERT INTO partner_feed (event_id, type, appended_at, event_json) VALUES (?, ?, ?, ?)')
  // `types` is a JSON array; an empty one selects every type.
  const after = db.prepare<{ after: number; types: string; limit: number }, { sequence: number; json: string }>(
    `SELECT sequence, event_json AS json FROM partner_feed
     WHERE sequence > @after AND (@types = '[]' OR type IN (SELECT value FROM json_each(@types)))
     ORDER BY sequence LIMIT @limit`,
  )
  const prune = db.prepare<[number]>('DELETE FROM partner_feed WHERE appended_at < ?')
  return {
    // Looked up first: an insert refused by the unique id would still use up a number, leaving a gap.
    append: (event: PartnerEvent, at: Date) => appended.get(event.id) === undefined && append.run(event.id, event.type, at.getTime(), JSON.stringify(event)).changes > 0,
    after: (afterSequence: number, types: readonly string[], limit: number): FeedEvent[] =>
      after.all({ after: afterSequence, types: JSON.stringify(types), limit }).map((row) => ({ ...parsed<PartnerEvent>(row), sequence: row.sequence })),
    prune: (before: Date) => prune.run(before.getTime()).changes,
  }
}
