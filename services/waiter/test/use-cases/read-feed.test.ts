import t from 'tap'
import { menuEvent, orderEvent, type PartnerEvent } from '@restaurant/contracts/partners'
import { buildMenuItem, buildOrder } from '@restaurant/contracts/testing'
import { createReadFeed } from '../../src/use-cases/read-feed.js'
import { memoryPartnerStore } from './memory-partner-store.js'

async function feedOf(events: PartnerEvent[]) {
  const { store } = memoryPartnerStore()
  for (const event of events) await store.feed.append(event, new Date())
  return createReadFeed(store)
}

const orders = Array.from({ length: 3 }, () => orderEvent(buildOrder()))
const menuChange = menuEvent(buildMenuItem({ id: 'fries', version: 2 }))

t.test('the feed from no cursor gives every event in sequence, and a cursor to read on from the last', async (t) => {
  const readFeed = await feedOf([orders[0]!, menuChange, orders[1]!])
  const page = await readFeed({})
  t.same(page.events.map(({ id, sequence }) => [id, sequence]), [[orders[0]!.id, 1], [menuChange.id, 2], [orders[1]!.id, 3]])
  t.equal(page.nextCursor, '3')
})

t.test('reading is non-destructive: the same cursor gives the same events again', async (t) => {
  const readFeed = await feedOf([...orders, menuChange])
  t.same(await readFeed({ after: '1', limit: 2 }), await readFeed({ after: '1', limit: 2 }))
  t.same((await readFeed({ after: '1', limit: 2 })).events.map(({ sequence }) => sequence), [2, 3])
})

t.test('a cursor reads on after the events already read; past the newest it stays as it was', async (t) => {
  const readFeed = await feedOf([...orders, menuChange])
  const first = await readFeed({ limit: 3 })
  const second = await readFeed({ after: first.nextCursor, limit: 3 })
  t.same(second.events.map(({ id }) => id), [menuChange.id])
  t.same(await readFeed({ after: second.nextCursor }), { events: [], nextCursor: '4' })
})

t.test('asked for some types, the feed gives those alone, and the cursor follows the last one given', async (t) => {
  const readFeed = await feedOf([orders[0]!, menuChange, orders[1]!])
  t.same(await readFeed({ types: 'menu.changed' }), { events: [{ ...menuChange, sequence: 2 }], nextCursor: '2' })
  t.same((await readFeed({ types: 'order.placed,menu.changed' })).events.length, 3)
})

t.test('a page holds a hundred events unless asked for another number', async (t) => {
  const readFeed = await feedOf(Array.from({ length: 120 }, () => orderEvent(buildOrder())))
  t.match(await readFeed({}), { events: { length: 100 }, nextCursor: '100' })
  t.match(await readFeed({ limit: 7 }), { events: { length: 7 }, nextCursor: '7' })
})
