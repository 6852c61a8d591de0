import { randomUUID } from 'node:crypto'
import type autocannon from 'autocannon'
import { customer, signedIdentity } from '../test/support/credentials.js'
import { freshLoadCustomer } from '../test/support/order-client.js'
import type { HttpTarget } from './http-load.js'

const friesAndLemonade = JSON.stringify({ items: [{ menuItemId: 'fries', quantity: 1 }, { menuItemId: 'lemonade', quantity: 1 }] })

/** Each request gets a key of its own, so that every request places a new order. */
function withFreshKey(headers: () => Record<string, string>) {
  const prefix = randomUUID()
  let next = 0
  return (request: autocannon.Request): autocannon.Request => ({ ...request, headers: { ...headers(), 'idempotency-key': `${prefix}-${next++}` } })
}

/** `POST /api/orders` as a customer sends it (its JWT, a fresh Idempotency-Key, fries and a lemonade). */
export function placeOrderThrough(name: string, baseUrl: string): HttpTarget {
  const headers = { 'content-type': 'application/json', ...freshLoadCustomer() }
  return { name, url: `${baseUrl}/api/orders`, request: { method: 'POST', path: '/api/orders', body: friesAndLemonade, setupRequest: withFreshKey(() => headers) } }
}

/**
 * The same order sent to the waiter itself, with the identity header the gateway would add: a token signed for
 * each request, as the waiter takes each token once.
 */
export function placeOrderDirectly(waiterUrl: string): HttpTarget {
  const current = () => ({ 'content-type': 'application/json', ...signedIdentity(customer('load-customer'), 'POST', '/api/orders') })
  return { name: 'direct', url: `${waiterUrl}/api/orders`, request: { method: 'POST', path: '/api/orders', body: friesAndLemonade, setupRequest: withFreshKey(current) } }
}

export function getHello(name: string, baseUrl: string): HttpTarget {
  return { name, url: baseUrl, request: { method: 'GET', path: '/' } }
}
