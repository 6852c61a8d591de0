import type { TicketView } from '@restaurant/contracts/kitchen-api'
import { isTerminal } from '@restaurant/contracts/order-status'
import { attemptOf } from '../domain/claims.js'
import type { TicketStore } from './ticket-store.js'

/** A ticket as staff read it: the order, and what the kitchens did for it (the witness and the claims). */
export async function readTicket(store: Pick<TicketStore, 'get' | 'cookedUnits' | 'claims'>, orderId: string): Promise<TicketView | undefined> {
  const ticket = await store.get(orderId)
  if (!ticket) return undefined
  const [cookedUnits, claims] = await Promise.all([store.cookedUnits(orderId), store.claims(orderId)])
  const { order, fingerprint, committedBy } = ticket
  const completion = { ...(committedBy === undefined ? {} : { committedBy }), ...(isTerminal(order.status) ? { at: order.history.at(-1)?.at } : {}) }
  const view = { order, cookedUnits, cookingAttempts: claims.map((claim) => attemptOf(claim, completion)) }
  return fingerprint === undefined ? view : { ...view, fingerprint }
}
