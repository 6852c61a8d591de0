import type { Identity } from '@restaurant/contracts/identity'
import type { Order } from '@restaurant/contracts/orders'
import { seesEveryOrder } from '@restaurant/contracts/public-routes'

/** Who may see an order: staff see every order, a customer only the orders they placed. */
export function maySee(identity: Identity, order: Pick<Order, 'owner'>): boolean {
  return seesEveryOrder(identity) || order.owner === identity.subject
}

/** The owner a list of orders is narrowed to for this caller: none for staff. */
export function listedOwner(identity: Identity): { owner?: string } {
  return seesEveryOrder(identity) ? {} : { owner: identity.subject }
}
