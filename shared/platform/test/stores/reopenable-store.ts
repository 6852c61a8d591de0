import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import { emptyMongoDatabase } from '../../../../test/support/isolation.js'

/**
 * A store opened by `open`, which a test may open again over the same data: every store opened is closed when the
 * test ends, and only then does `remove` take away what they stored (a folder, collections).
 */
export async function reopenableStore<S extends { close(): Promise<void> }>(t: Test, open: () => Promise<S>, remove: () => Promise<unknown>) {
  const opened: S[] = []
  t.teardown(async () => {
    for (const store of opened) await store.close()
    await remove()
  })
  const reopen = async () => {
    const store = await open()
    opened.push(store)
    return store
  }
  return { store: await reopen(), reopen }
}

/** A reopenable store over a MongoDB database of its own (`{prefix}-{uuid}`), emptied once every store over it is closed. */
export async function reopenableMongoStore<S extends { close(): Promise<void> }>(t: Test, url: string, prefix: string, open: (options: { url: string; dbName: string }) => Promise<S>) {
  const dbName = `${prefix}-${randomUUID()}`
  const opened = await reopenableStore(t, () => open({ url, dbName }), () => emptyMongoDatabase(url, dbName))
  return { ...opened, dbName }
}
