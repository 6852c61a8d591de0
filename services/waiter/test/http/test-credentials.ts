import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Test } from 'tap'
import { createSqliteCredentialStore } from '../../src/adapters/credential-store/sqlite-credential-store.js'
import { createManageCredentials } from '../../src/use-cases/manage-credentials.js'
import { capturedLog } from '../use-cases/fake-ports.js'

/** Credentials over a real embedded store in a folder of the test's own, with a cache that keeps what it is told. */
export async function testCredentials(t: Test) {
  const dataDir = await mkdtemp(join(tmpdir(), 'waiter-test-credentials-'))
  const store = await createSqliteCredentialStore({ dataDir })
  t.teardown(async () => {
    await store.close()
    await rm(dataDir, { recursive: true, force: true })
  })
  const cached: unknown[] = []
  const keep = async (entry: unknown) => void cached.push(entry)
  const credentials = createManageCredentials({ store, cache: { putKey: keep, putSubject: keep, putToken: keep, forget: async () => undefined }, now: () => new Date(), log: capturedLog().log })
  return { credentials, cached }
}
