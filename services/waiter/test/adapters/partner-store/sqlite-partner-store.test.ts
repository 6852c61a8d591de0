import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { createSqlitePartnerStore, isSqlitePartnerUnavailable } from '../../../src/adapters/partner-store/sqlite-partner-store.js'
import { reopenableStore } from '../../../../../shared/platform/test/stores/reopenable-store.js'
import { buildEvent } from './partner-builders.js'
import { partnerStoreContract } from './partner-store.contract.js'

/** A store in a fresh temporary directory, removed once every store opened over it is closed. */
async function makeStore(t: Test) {
  const dataDir = await mkdtemp(join(tmpdir(), 'waiter-partners-'))
  const opened = await reopenableStore(t, () => createSqlitePartnerStore({ dataDir }), () => rm(dataDir, { recursive: true, force: true }))
  return { ...opened, spec: { kind: 'sqlite' as const, dataDir }, dataDir }
}

partnerStoreContract(t, { makeStore })

t.test('a closed store fails as unavailable', async (t) => {
  const { store } = await makeStore(t)
  await store.close()
  t.ok(isSqlitePartnerUnavailable(await store.feed.after(0, [], 10).catch((error: unknown) => error)))
})

t.test('a store whose file was removed fails as unavailable rather than write where no one reads', async (t) => {
  const { store, dataDir } = await makeStore(t)
  await rm(join(dataDir, 'partners.sqlite'))
  const failure = await store.feed.append(buildEvent('evt_lost'), new Date()).catch((error: unknown) => error)
  t.match(failure, { code: 'PARTNER_FILE_MOVED' })
  t.ok(isSqlitePartnerUnavailable(failure))
})
