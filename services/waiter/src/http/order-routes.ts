import { Type } from 'typebox'
import { StaffOrder } from '@restaurant/contracts/kitchen-api'
import { ListOrdersQuery, Order, OrderIdParams, OrderPage, PlaceOrderBody } from '@restaurant/contracts/orders'
import type { HttpServer } from '@restaurant/platform/http/server'
import type { RequestContextOf } from './request-context.js'
import { anyRequestErrors, invalid, json, location, problem } from './route-docs.js'
import type { Waiter } from '../use-cases/waiter.js'

const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      pattern: '^[\\x21-\\x7e]+$',
      description:
        'Makes placing an order safe to retry: a retry with the same key and body answers with the order the first ' +
        'request placed, and places nothing; the same key with a different body is refused with 422. Keys are ' +
        "scoped to the caller's credential.",
    }),
  ),
})

const notFound = problem('No order with this id that the caller may see')

const placeOrder = {
  schema: {
    tags: ['orders'],
    summary: 'Place an order',
    description:
      'Prices the order from the menu and hands it to the kitchen. The answer comes once the order is durable, ' +
      'before it is cooked: follow its status at `Location`. Send an `Idempotency-Key` to retry safely.',
    body: PlaceOrderBody,
    headers: IdempotencyHeaders,
    response: {
      202: json('The order was taken (or, for a retry with the same key, was taken before)', Order, location),
      400: invalid,
      413: problem('The body is larger than the waiter accepts'),
      422: problem(
        'An item is unknown or unavailable, or the order has more units in all than `MAX_UNITS_PER_ORDER` (see `invalidParams`); ' +
          'or the Idempotency-Key was used with another body',
      ),
      ...anyRequestErrors,
    },
  },
}

const listOrders = {
  schema: {
    tags: ['orders'],
    summary: 'List orders',
    description:
      "Newest first, optionally of one status: a customer's own orders, or every order for staff. Pass `nextCursor` " +
      'back as `cursor` for the next page.',
    querystring: ListOrdersQuery,
    response: { 200: json('A page of orders', OrderPage), 400: invalid, ...anyRequestErrors },
  },
}

const readOrder = {
  schema: {
    tags: ['orders'],
    summary: 'Read an order',
    description:
      'The order with its status history and, once cooked, the kitchen result. Staff also see `cookedUnits`, the ' +
      'witness of every cooking of each unit, and `cookingAttempts`, the kitchens that held the order.',
    params: OrderIdParams,
    response: { 200: json('The order', StaffOrder), 400: invalid, 404: notFound, ...anyRequestErrors },
  },
}

const cancelOrder = {
  schema: {
    tags: ['orders'],
    summary: 'Cancel an order',
    description:
      'Asks the kitchen to cancel an order that is still `placed` or `accepted`. The answer shows the order as it ' +
      'was; its status becomes `cancelled` once the kitchen has applied the request: follow it at `Location`.',
    params: OrderIdParams,
    response: {
      202: json('The cancellation was sent to the kitchen', Order, location),
      400: invalid,
      404: notFound,
      409: problem('The order is past the point where it can be cancelled; `currentStatus` says where it is'),
      ...anyRequestErrors,
    },
  },
}

/** The public order API, as the gateway forwards it. Each route's schema validates, shapes and documents it. */
export function registerOrderRoutes(app: HttpServer, waiter: Waiter, context: RequestContextOf): void {
  app.post('/api/orders', placeOrder, async (request, reply) => {
    const order = await waiter.placeOrder(request.body, request.headers['idempotency-key'], context(request))
    return reply.code(202).header('location', `/api/orders/${order.id}`).send(order)
  })
  app.get('/api/orders', listOrders, async (request) => waiter.listOrders(request.query, context(request)))
  app.get('/api/orders/:id', readOrder, async (request) => waiter.getOrder(request.params.id, context(request)))
  app.post('/api/orders/:id/cancel', cancelOrder, async (request, reply) => {
    const order = await waiter.cancelOrder(request.params.id, context(request))
    return reply.code(202).header('location', `/api/orders/${order.id}`).send(order)
  })
}
