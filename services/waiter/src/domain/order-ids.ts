import { createHmac } from 'node:crypto'
import { v7 } from 'uuid'

/** A fresh, unguessable, time-ordered id for an order placed without an idempotency key. */
export function newOrderId(): string {
  return v7()
}

/**
 * The id of an order placed with an idempotency key: a keyed hash of the client and the key, shaped as a
 * UUID (version 8). Every retry maps to the same id, so the kitchen's unique record collapses duplicates
 * even after Redis has forgotten the key; without the secret the id cannot be guessed.
 */
export function orderIdFor(secret: string, clientId: string, idempotencyKey: string): string {
  const bytes = createHmac('sha256', secret).update(`${clientId}\n${idempotencyKey}`).digest().subarray(0, 16)
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
