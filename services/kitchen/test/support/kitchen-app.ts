import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Test } from 'tap'
import { Registry } from 'prom-client'
import { menu as seedMenu, type MenuItem } from '@restaurant/contracts/menu'
import { verifyingKeysFrom } from '@restaurant/platform/auth/service-keys'
import { createServiceVerifier } from '@restaurant/platform/auth/service-tokens'
import { DEVELOPMENT_SECRETS } from '@restaurant/platform/runtime/config'
import { signedAsWaiter } from '../../../../test/support/credentials.js'
import { createSqliteMenuStore } from '../../src/adapters/sqlite/sqlite-menu-store.js'
import { buildKitchenApp } from '../../src/app.js'
import { createEditMenu } from '../../src/use-cases/edit-menu.js'
import { temporaryStore } from './kitchen-harness.js'
import { captureLogs } from './log-capture.js'

/** A request as the waiter makes it: with a token signed for it alone. */
export function asWaiter<Request extends { method?: string; url: string }>(request: Request) {
  return { ...request, headers: signedAsWaiter(request.method ?? 'GET', request.url) }
}

/** An embedded menu store in a temporary folder, seeded with the seed menu. */
export async function temporaryMenuStore(t: Test) {
  const dir = await mkdtemp(join(tmpdir(), 'kitchen-menu-'))
  const store = await createSqliteMenuStore({ dataDir: dir })
  t.teardown(async () => {
    await store.close()
    await rm(dir, { recursive: true, force: true })
  })
  await store.seedIfEmpty(seedMenu)
  return store
}

/** The kitchen's HTTP app over embedded stores in temporary folders; what it announces of the menu is kept. */
export async function buildApp(t: Test) {
  const store = await temporaryStore(t)
  const menuStore = await temporaryMenuStore(t)
  const announced: { item: MenuItem; menuVersion: number; correlationId: string }[] = []
  const edits = createEditMenu({ store: menuStore, announce: async (item, menuVersion, correlationId) => void announced.push({ item, menuVersion, correlationId }), now: () => new Date() })
  const app = await buildKitchenApp({ log: captureLogs().log, store, menu: { store: menuStore, edits }, maxEventLoopDelayMs: 1_000, verifyCaller: createServiceVerifier('kitchen', { waiter: verifyingKeysFrom(DEVELOPMENT_SECRETS.WAITER_PUBLIC_KEYS, 'WAITER_PUBLIC_KEYS') }), metrics: new Registry() })
  t.teardown(() => app.close())
  return { app, store, menuStore, announced }
}
