import { createInterface } from 'node:readline'
import { withStatus } from '@restaurant/contracts/testing'
import type { Order } from '@restaurant/contracts/orders'
import { openStore, type StoreSpec } from './store-spec.js'

/**
 * A child process of the cross-process race (ticket-store-race.contract.ts). Opens the store, reads the orders,
 * says `ready`; then for each `go {round}` line races the round's order from placed to accepted and its claim
 * number 1, and answers `{ round, moved, claimed }`. Stdin's end closes the store.
 */
const [specJson, name, idsJson] = process.argv.slice(2)
// Run without its arguments (tap given the whole folder), it races nothing.
if (specJson !== undefined && name !== undefined && idsJson !== undefined) await race(JSON.parse(specJson) as StoreSpec, name, JSON.parse(idsJson) as string[])

async function race(spec: StoreSpec, name: string, orderIds: string[]): Promise<void> {
  const store = await openStore(spec)
  const placed = await Promise.all(orderIds.map(async (id) => (await store.get(id))?.order))
  const next = placed.map((order) => order && { ...withStatus(order, 'accepted'), table: name })
  const claimOf = (order: Order) => ({ orderId: order.id, number: 1, holder: name, kitchen: name, startedAt: new Date().toISOString(), lease: `${name}/lease` })

  process.stdout.write('ready\n')
  for await (const line of createInterface({ input: process.stdin })) {
    const round = Number(line.replace('go ', ''))
    const order = next[round]
    if (!order) throw new Error(`no order for round ${round}`)
    const [moved, claimed] = await Promise.all([store.replaceIfStatus(order, 'placed'), store.insertClaim(claimOf(order))])
    process.stdout.write(`${JSON.stringify({ round, moved, claimed })}\n`)
  }
  await store.close()
}
