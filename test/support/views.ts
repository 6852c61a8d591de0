import { Redis } from 'ioredis'
import { isTerminal } from '@restaurant/contracts/order-status'
import type { Order } from '@restaurant/contracts/orders'
import { eventually, REDIS_URL } from './isolation.js'
import { allTickets } from './scoring.js'

/** How long until every order's view in Redis (the machine's unless told) shows what the kitchen holds, every one ended. */
export async function viewsCaughtUp(prefix: string, kitchenUrl: string, ids: string[], redisUrl = REDIS_URL): Promise<number> {
  const started = Date.now()
  const redis = new Redis(redisUrl, { keyPrefix: prefix })
  try {
    await eventually(async () => {
      const kitchen = new Map((await allTickets(kitchenUrl)).map((order) => [order.id, order.status]))
      const views = await Promise.all(ids.map(async (id) => (JSON.parse((await redis.hget(`order:${id}`, 'order')) ?? '{}') as Partial<Order>).status))
      return views.every((status, i) => status !== undefined && isTerminal(status) && status === kitchen.get(ids[i] ?? '')) ? true : undefined
    }, 60_000, 'every view to show the kitchen’s end')
  } finally {
    redis.disconnect()
  }
  return Date.now() - started
}

