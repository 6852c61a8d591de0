import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { createSqliteCredentialStore, isSqliteCredentialUnavailable } from '../../../src/adapters/credential-store/sqlite-credential-store.js'
import { reopenableStore } from '../../../../../shared/platform/test/stores/reopenable-store.js'
import { credentialStoreContract } from './credential-store.contract.js'

async function makeStore(t: Test) {
  const dataDir = await mkdtemp(join(tmpdir(), 'waiter-credentials-'))
  return reopenableStore(t, () => createSqliteCredentialStore({ dataDir }), () => rm(dataDir, { recursive: true, force: true }))
}

credentialStoreContract(t, { makeStore })

t.test('a closed store fails as unavailable', async (t) => {
  const { store } = await makeStore(t)
  await store.close()
  t.ok(isSqliteCredentialUnavailable(await store.keys().catch((error: unknown) => error)))
})
