import type { Redis } from 'ioredis'
import type { Logger } from 'pino'
import { menu, withAvailability, type MenuItem } from '@restaurant/contracts/menu'

const availabilityKey = 'menu:availability'

/**
 * What is on the menu right now: staff mark items sold out or back in Redis, which the waiter (new orders)
 * and the kitchen (queued orders) both read. While Redis is away, the last menu read stands.
 */
export function createMenuAvailability(redis: Redis, log: Logger) {
  let lastKnown: readonly MenuItem[] = menu

  async function current(): Promise<readonly MenuItem[]> {
    try {
      const stored = await redis.hgetall(availabilityKey)
      lastKnown = withAvailability(menu, Object.fromEntries(Object.entries(stored).map(([id, flag]) => [id, flag === '1'])))
    } catch (err) {
      log.warn({ err }, 'menu availability unavailable; using the last menu read')
    }
    return lastKnown
  }

  /** Throws when Redis cannot store the change: staff must know it did not take. */
  async function setAvailable(id: string, available: boolean): Promise<void> {
    await redis.hset(availabilityKey, id, available ? '1' : '0')
  }

  return { current, setAvailable }
}
export type MenuAvailability = ReturnType<typeof createMenuAvailability>
