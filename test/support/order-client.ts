import { setTimeout as sleep } from 'node:timers/promises'
import type { Order } from '@restaurant/contracts/orders'
import { asCustomer } from './credentials.js'

/**
 * The customer every load client orders as; reads of its orders need the same credential. Its token lasts an
 * hour: a run that outlasts that (the full benchmark) takes a fresh one for each part.
 */
export const freshLoadCustomer = () => asCustomer('load-customer')
export const loadCustomer = freshLoadCustomer()

export interface OrderRecord {
  key: string
  attempts: number
  /** The order id of the 202, once one came. */
  id?: string
  /** The order as the 202 answered it. */
  order?: Order
  /** The last answer that was not a 202, for the report. */
  lastProblem?: string
  /** The longest any attempt took to be answered. */
  slowestMs: number
}

export const friesAndLemonade = { items: [{ menuItemId: 'fries', quantity: 1 }, { menuItemId: 'lemonade', quantity: 1 }] }

/**
 * A client as a real one behaves: every order has its own Idempotency-Key, and a failed attempt (no
 * answer, a timeout, a 5xx) is retried with the same key and a growing pause until `deadlineMs`.
 */
export async function placeOrder(gatewayUrl: () => string, key: string, deadlineMs: number, order: object = friesAndLemonade): Promise<OrderRecord> {
  const body = JSON.stringify(order)
  const record: OrderRecord = { key, attempts: 0, slowestMs: 0 }
  for (let pause = 50; Date.now() < deadlineMs; pause = Math.min(pause * 2, 1_000)) {
    record.attempts += 1
    const started = Date.now()
    try {
      const response = await fetch(`${gatewayUrl()}/api/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key, ...loadCustomer },
        body,
        signal: AbortSignal.timeout(5_000),
      })
      if (response.status === 202) {
        record.order = (await response.json()) as Order
        record.id = record.order.id
        return record
      }
      record.lastProblem = `${response.status} ${await response.text()}`
      if (response.status < 500) return record
    } catch (err) {
      record.lastProblem = err instanceof Error ? err.message : String(err)
    } finally {
      record.slowestMs = Math.max(record.slowestMs, Date.now() - started)
    }
    await sleep(pause)
  }
  return record
}

export interface LoadOptions {
  concurrency: number
  keyPrefix: string
  deadlineMs: number
  /** Pause of each client between two orders, to spread the load over time. */
  paceMs?: number
  /** What each client orders; fries and a lemonade unless given. */
  body?: object
  /** What the `n`th order is, when orders differ (over `body`). */
  bodyOf?: (n: number) => object
  /** Called as each order is settled, for observers that run beside the load. */
  onSettled?: (record: OrderRecord) => void
}

/** Places `count` orders with `concurrency` clients at once; resolves with every order's record. */
export async function placeOrders(gatewayUrl: () => string, count: number, options: LoadOptions) {
  const records: OrderRecord[] = []
  let next = 0
  const worker = async () => {
    while (next < count) {
      const n = next++
      const record = await placeOrder(gatewayUrl, `${options.keyPrefix}-${n}`, options.deadlineMs, options.bodyOf?.(n) ?? options.body)
      records.push(record)
      options.onSettled?.(record)
      if (options.paceMs) await sleep(options.paceMs)
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, worker))
  return records
}
