import { Type } from 'typebox'
import { ListOrdersQuery, MenuItemSchema, Order, OrderIdParams, OrderPage, PlaceOrderBody, Problem, type HttpServer, type MenuItem } from '@restaurant/shared'
import type { RequestContext, Waiter } from './waiter.js'

const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' })),
})
const Menu = Type.Object({ items: Type.Array(MenuItemSchema) })
const errors = { 400: Problem, 404: Problem, 409: Problem, 415: Problem, 422: Problem, 503: Problem }

/** The public order API, as the gateway forwards it. Each route's schema validates, shapes and documents it. */
export function registerOrderRoutes(app: HttpServer, waiter: Waiter, menu: () => readonly MenuItem[]): void {
  const context = (request: { id: string; log: RequestContext['log'] }): RequestContext => ({
    requestId: request.id,
    // Until authentication exists every caller is the same client; keys are scoped per client.
    clientId: 'anonymous',
    log: request.log,
  })

  app.get('/api/menu', { schema: { response: { 200: Menu } } }, async () => ({ items: [...menu()] }))

  app.post(
    '/api/orders',
    { schema: { body: PlaceOrderBody, headers: IdempotencyHeaders, response: { 202: Order, ...errors } } },
    async (request, reply) => {
      const order = await waiter.placeOrder(request.body, request.headers['idempotency-key'], context(request))
      return reply.code(202).header('location', `/api/orders/${order.id}`).send(order)
    },
  )

  app.get('/api/orders', { schema: { querystring: ListOrdersQuery, response: { 200: OrderPage, ...errors } } }, async (request) =>
    waiter.listOrders(request.query, request.id),
  )

  app.get('/api/orders/:id', { schema: { params: OrderIdParams, response: { 200: Order, ...errors } } }, async (request) =>
    waiter.getOrder(request.params.id, context(request)),
  )

  app.post(
    '/api/orders/:id/cancel',
    { schema: { params: OrderIdParams, response: { 202: Order, ...errors } } },
    async (request, reply) => reply.code(202).send(await waiter.cancelOrder(request.params.id, context(request))),
  )
}
