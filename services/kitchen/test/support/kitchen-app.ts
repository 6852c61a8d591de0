import type { Test } from 'tap'
import { Registry } from 'prom-client'
import { IDENTITY_HEADER } from '@restaurant/contracts/identity'
import { createIdentitySigner } from '@restaurant/platform/auth/identity-tokens'
import { buildKitchenApp } from '../../src/app.js'
import { temporaryStore } from './kitchen-harness.js'
import { captureLogs } from './log-capture.js'

const secret = 'a-secret-of-at-least-thirty-two-characters'
export const asStaff = { [IDENTITY_HEADER]: createIdentitySigner(secret)({ subject: 'chef', roles: ['staff'] }) }

/** The kitchen's HTTP app over an embedded store in a temporary folder. */
export async function buildApp(t: Test) {
  const store = await temporaryStore(t)
  const app = await buildKitchenApp({ log: captureLogs().log, store, maxEventLoopDelayMs: 1_000, identitySecret: secret, metrics: new Registry() })
  t.teardown(() => app.close())
  return { app, store }
}
