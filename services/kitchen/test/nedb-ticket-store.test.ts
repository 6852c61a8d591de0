import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { createNedbTicketStore } from '../src/nedb-ticket-store.js'
import type { TicketStore } from '../src/ticket-store.js'
import { ticketStoreContract } from './ticket-store.contract.js'

/** A store in a fresh temporary directory; every store opened over it is closed before the directory goes. */
async function makeReopenableStore(t: Test) {
  const dataDir = await mkdtemp(join(tmpdir(), 'kitchen-tickets-'))
  const opened: TicketStore[] = []
  t.teardown(async () => {
    for (const store of opened) await store.close()
    await rm(dataDir, { recursive: true, force: true })
  })
  const open = async () => {
    const store = await createNedbTicketStore({ dataDir })
    opened.push(store)
    return store
  }
  return { store: await open(), reopen: open }
}

ticketStoreContract(t, {
  makeStore: async (t) => (await makeReopenableStore(t)).store,
  makeReopenableStore,
})
