import { createInterface } from 'node:readline'
import { openStore, type StoreSpec } from './store-spec.js'

/**
 * A child process of the settlement race (ticket-store-race.contract.ts). Opens the store, says `ready`; then for
 * each `go {round}` line plays its role on the round's order: the `holder` finishes unit 0 under claim 1, the
 * `taker` inserts claim 2 and closes the earlier claims. Answers `{ round, finished }` (the holder's settlement
 * stood; the taker answers false). Stdin's end closes the store.
 */
const [specJson, role, idsJson] = process.argv.slice(2)
// Run without its arguments (tap given the whole folder), it races nothing.
if (specJson !== undefined && role !== undefined && idsJson !== undefined) await race(JSON.parse(specJson) as StoreSpec, role, JSON.parse(idsJson) as string[])

async function race(spec: StoreSpec, role: string, orderIds: string[]): Promise<void> {
  const store = await openStore(spec)
  const at = () => new Date().toISOString()
  process.stdout.write('ready\n')
  for await (const line of createInterface({ input: process.stdin })) {
    const round = Number(line.replace('go ', ''))
    const orderId = orderIds[round]
    if (orderId === undefined) throw new Error(`no order for round ${round}`)
    let finished = false
    if (role === 'holder') finished = await store.settleUnit(orderId, 1, 0, { endedAt: at() })
    else {
      await store.insertClaim({ orderId, number: 2, holder: 'taker/1', kitchen: 'taker', startedAt: at(), lease: 'taker/lease' })
      await store.closeEarlierClaims(orderId, 2, 1, at())
    }
    process.stdout.write(`${JSON.stringify({ round, finished })}\n`)
  }
  await store.close()
}
