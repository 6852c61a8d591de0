import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { createNedbTicketStore } from '../src/nedb-ticket-store.js'
import type { TicketStore } from '../src/ticket-store.js'
import { ticketStoreContract } from './ticket-store.contract.js'
import { buildOrder } from '@restaurant/shared/testing'

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

/** Puts a plain file where the store's folder was: every write to the store's file then fails. */
async function breakFolder(dataDir: string) {
  await rename(dataDir, `${dataDir}.away`)
  await writeFile(dataDir, 'not a folder')
  return async () => {
    await rm(dataDir)
    await rename(`${dataDir}.away`, dataDir)
  }
}

t.test('a write that never reached the file is not read back, and the store heals once the file is writable', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'kitchen-tickets-'))
  const store = await createNedbTicketStore({ dataDir })
  t.teardown(async () => {
    await store.close().catch(() => undefined)
    await rm(dataDir, { recursive: true, force: true })
    await rm(`${dataDir}.away`, { recursive: true, force: true })
  })
  const kept = buildOrder()
  await store.insertIfAbsent({ order: kept })
  const repair = await breakFolder(dataDir)
  const lost = buildOrder()
  await t.rejects(store.insertIfAbsent({ order: lost }), 'the write fails')
  await t.rejects(store.get(lost.id), 'reads fail too while the file is out of reach')
  await t.rejects(store.ping(), 'and the store is not ready')
  await repair()
  t.equal(await store.get(lost.id), undefined, 'the failed write is not read back')
  t.equal((await store.get(kept.id))?.order.id, kept.id, 'what was written is still there')
  t.equal((await store.insertIfAbsent({ order: lost })).created, true, 'the write succeeds once retried')
})
