import Fastify from 'fastify'
import type { Test } from 'tap'
import { kitchenPaths } from '@restaurant/contracts/kitchen-api'
import { menu, menuVersionOf } from '@restaurant/contracts/menu'

/**
 * A stand-in kitchen that serves the seed menu and answers anything else 503, as a kitchen that cannot: for a
 * waiter tested without a kitchen, which still needs the menu to price orders. Closed when the test ends.
 */
export async function menuOnlyKitchen(t: Test): Promise<string> {
  const server = Fastify()
  server.get(kitchenPaths.menu, async () => ({ version: menuVersionOf(menu), items: menu }))
  server.setNotFoundHandler((_request, reply) => reply.code(503).send())
  t.teardown(() => server.close())
  return server.listen({ host: '127.0.0.1', port: 0 })
}
