import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { pino, type Logger } from 'pino'
import t, { type Test } from 'tap'
import { menu } from '@restaurant/contracts/menu'
import { createMenuAvailability } from '../../src/redis/menu-availability.js'
import { createRedis } from '../../src/redis/redis.js'

function logAnd() {
  const lines: Array<{ msg: string }> = []
  return { log: pino({}, { write: (line: string) => void lines.push(JSON.parse(line) as { msg: string }) }), lines }
}

/** A client under a prefix of its own, connected; teardown removes its key (on a client of its own) and disconnects. */
async function connected(t: Test, log: Logger) {
  const settings = { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: `test-${randomUUID()}:`, REDIS_COMMAND_TIMEOUT_MS: 250 }
  const redis = createRedis(settings, log)
  await once(redis, 'ready')
  t.teardown(async () => {
    redis.disconnect()
    const cleaner = createRedis(settings, log)
    await once(cleaner, 'ready')
    await cleaner.del('menu:availability')
    cleaner.disconnect()
  })
  return redis
}

const availabilityOf = (items: readonly { id: string; available: boolean }[], id: string) => items.find((item) => item.id === id)?.available

t.test('an item marked sold out is unavailable to every reader until it is marked back', async (t) => {
  const { log } = logAnd()
  const redis = await connected(t, log)
  const [staff, kitchen] = [createMenuAvailability(redis, log), createMenuAvailability(redis, log)]
  t.same(await kitchen.current(), menu, 'the menu as written while nothing is marked')

  await staff.setAvailable('fries', false)
  t.equal(availabilityOf(await kitchen.current(), 'fries'), false)
  t.equal(availabilityOf(await kitchen.current(), 'classic-burger'), true, 'the others untouched')
  await staff.setAvailable('fries', true)
  t.equal(availabilityOf(await kitchen.current(), 'fries'), true)
})

t.test('while Redis is away the last menu read stands, and a change is refused', async (t) => {
  const { log, lines } = logAnd()
  const redis = await connected(t, log)
  const availability = createMenuAvailability(redis, log)
  await availability.setAvailable('fries', false)
  const before = await availability.current()

  redis.disconnect()
  t.same(await availability.current(), before, 'the last menu read, fries still sold out')
  t.equal(lines.filter((line) => line.msg === 'menu availability unavailable; using the last menu read').length, 1)
  await t.rejects(availability.setAvailable('fries', true))
})
