import { createInterface } from 'node:readline'
import { openMenuStore, type MenuStoreSpec } from './store-spec.js'

/**
 * A child process of the cross-process menu race (menu-store-race.contract.ts). Opens the store, reads the item,
 * says `ready`; then for each `go {round}` line writes the item's version `round + 2` as its own, and answers
 * `{ round, won }`. Stdin's end closes the store.
 */
const [specJson, name, itemId] = process.argv.slice(2)
// Run without its arguments (tap given the whole folder), it races nothing.
if (specJson !== undefined && name !== undefined && itemId !== undefined) await race(JSON.parse(specJson) as MenuStoreSpec, name, itemId)

async function race(spec: MenuStoreSpec, name: string, itemId: string): Promise<void> {
  const store = await openMenuStore(spec)
  const item = (await store.items()).find((stored) => stored.id === itemId)
  if (!item) throw new Error(`no item ${itemId}`)
  process.stdout.write('ready\n')
  for await (const line of createInterface({ input: process.stdin })) {
    const round = Number(line.replace('go ', ''))
    const won = await store.write({ ...item, version: round + 2, changedBy: name, changedAt: new Date().toISOString() })
    process.stdout.write(`${JSON.stringify({ round, won })}\n`)
  }
  await store.close()
}
