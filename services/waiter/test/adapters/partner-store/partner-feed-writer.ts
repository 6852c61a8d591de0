import { createInterface } from 'node:readline'
import { appendAll } from './partner-feed-writes.js'
import { openPartnerStore, type PartnerStoreSpec } from './partner-store-spec.js'

/**
 * A child process of the cross-process feed race (partner-feed-race.contract.ts): opens the store, says `ready`,
 * and on `go` appends its events, answers the ids it appended as JSON, and closes the store.
 */
const [specJson, writer] = process.argv.slice(2)
// Run without its arguments (tap given the whole folder), it writes nothing.
if (specJson !== undefined && writer !== undefined) await write(JSON.parse(specJson) as PartnerStoreSpec, writer)

async function write(spec: PartnerStoreSpec, writer: string): Promise<void> {
  const store = await openPartnerStore(spec)
  process.stdout.write('ready\n')
  const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]()
  await lines.next()
  process.stdout.write(`${JSON.stringify(await appendAll(store, writer))}\n`)
  await store.close()
  lines.return?.(undefined)
}
