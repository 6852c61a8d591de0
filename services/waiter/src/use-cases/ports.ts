import type { Identity } from '@restaurant/contracts/identity'
import type { KitchenListQuery, KitchenMenuAdd, KitchenMenuEdit, TicketView } from '@restaurant/contracts/kitchen-api'
import type { Menu, MenuItem } from '@restaurant/contracts/menu'
import type { RoutingKey } from '@restaurant/contracts/messages'
import type { Order, OrderPage } from '@restaurant/contracts/orders'
import type { Logger } from '@restaurant/platform/runtime/logger'
import type { Reservation } from '../domain/idempotency.js'

/** What the use cases need from the world, each as small as they use it; adapters/ implements them. */

export type Log = Pick<Logger, 'info' | 'warn'>

export interface RequestContext {
  requestId: string
  /** Who is asking: idempotency keys are scoped to it, and customers see only the orders they placed. */
  identity: Identity
  log: Log
}

/** The order views: a cache of the kitchen's records, which also announces each status change. */
export interface OrderViews {
  get(orderId: string): Promise<Order | undefined>
  /**
   * Stores the order unless the view already holds this version or a later one and, given the correlation
   * id of the change, announces each status it moves past on the order event streams; true when it changed.
   */
  apply(order: Order, correlationId?: string): Promise<boolean>
  /** True for one caller, across every waiter, at most once per `everyMs` for an order: the one to check its view against the kitchen. */
  takeRefreshTurn(orderId: string, everyMs: number): Promise<boolean>
}

/** Where an idempotency key is reserved, with the fingerprint of the body first sent under it. */
export interface Reservations {
  /** Records the fingerprint for the key's order id unless one is there, and tells what an earlier reservation stored. */
  reserve(orderId: string, fingerprint: string): Promise<Reservation>
  /** Which memory of reservations answers now: a new one begins when Redis's master changes (a replica promoted). */
  epoch(): Promise<string>
  /**
   * Records, once across every waiter, how far back a missing reservation may have been forgotten, given
   * the newest order the kitchen held when that was not known (Redis new, its data lost, or a replica promoted
   * to master, which may have lost the newest reservations). It is recorded for the `epoch` the lesson began in,
   * and only while that epoch lasts: a lesson begun before a failover says nothing of what the new master lost.
   * The first record for an epoch stands. Resolves to the epoch now, the one given when it was recorded.
   */
  rememberSince(newestPlacedAt: string | undefined, epoch: string): Promise<string>
}

/** The kitchen's records, which cannot forget an order. */
export interface KitchenRecords {
  getTicket(orderId: string, requestId: string): Promise<TicketView | undefined>
  listOrders(query: KitchenListQuery, requestId: string): Promise<OrderPage>
}

/** Resolves once the message is durably on its queue. */
export type Publish = (routingKey: RoutingKey, message: object, correlationId: string) => Promise<void>

/** The menu as this waiter's copy holds it (menu/menu-copy.ts); throws DependencyUnavailableError until loaded. */
export interface MenuCopy {
  current(): Menu
  /** Takes in an item's new state, as the owner answered an edit with it: the editor reads its own change. */
  apply(item: MenuItem): void
}

/** The menu's owner (the kitchen), which stores every edit. Its refusals are client errors the caller is answered with. */
export interface MenuOwner {
  menu(requestId: string): Promise<Menu>
  add(add: KitchenMenuAdd, requestId: string): Promise<MenuItem>
  edit(id: string, edit: KitchenMenuEdit, requestId: string): Promise<MenuItem>
  history(id: string, requestId: string): Promise<MenuItem[]>
}

export type Clock = () => Date

/** Told of every move this waiter makes: each order it places, and each status its view takes on. */
export type OrderMoved = (order: Order) => void
