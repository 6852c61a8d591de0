import type { AuditLog } from '@restaurant/platform/audit/audit-log'
import { createApplyStatusChange } from './apply-status-change.js'
import { createCancelOrder } from './cancel-order.js'
import { createFindOrder } from './find-order.js'
import { createGetOrder } from './get-order.js'
import { createLearnReservationMemory } from './learn-reservation-memory.js'
import { createListOrders } from './list-orders.js'
import { createPlaceOrder } from './place-order.js'
import { createEditMenu } from './edit-menu.js'
import type { Clock, KitchenRecords, MenuCopy, MenuOwner, OrderMoved, OrderViews, Publish, Reservations } from './ports.js'

export interface WaiterDeps {
  views: OrderViews
  reservations: Reservations
  kitchen: KitchenRecords
  publish: Publish
  menu: MenuCopy
  menuOwner: MenuOwner
  /** Where staff and admin actions are recorded. */
  audit: AuditLog
  now: Clock
  moved: OrderMoved
  orderIdSecret: string
  /** Units (the sum of the quantities) an order may have in all. */
  maxUnitsPerOrder: number
  /** A non-terminal view unchanged for this long is checked against the kitchen when read. */
  viewRefreshAfterMs: number
  /** How long a view lives after the order's last move. */
  viewTtlMs: number
}

/** The waiter's use cases over one set of ports, as the routes and the status consumer call them. */
export function createWaiter(deps: WaiterDeps) {
  const learnReservationMemory = createLearnReservationMemory(deps)
  const getOrder = createGetOrder({ findOrder: createFindOrder(deps), kitchen: deps.kitchen })
  return {
    placeOrder: createPlaceOrder({ ...deps, learnReservationMemory }),
    getOrder,
    cancelOrder: createCancelOrder({ getOrder, publish: deps.publish, audit: deps.audit }),
    listOrders: createListOrders(deps),
    menu: createEditMenu(deps),
    applyStatus: createApplyStatusChange(deps),
  }
}

export type Waiter = ReturnType<typeof createWaiter>
