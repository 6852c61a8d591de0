#!/usr/bin/env node
import { roles, type Role } from '@restaurant/contracts/identity'
import { cliCaller } from '@restaurant/platform/audit/cli-caller'
import type { ApiKey } from '@restaurant/platform/auth/api-keys'
import { signingKeyFrom } from '@restaurant/platform/auth/service-keys'
import { createServiceSigner } from '@restaurant/platform/auth/service-tokens'
import { REQUEST_ID_HEADER } from '@restaurant/platform/http/server'
import { upstreamUrls } from '@restaurant/platform/runtime/upstreams'
import { gatewayIdentityHeader } from '../auth/gateway-identity.js'
import { loadGatewayConfig } from '../config.js'

const usage = `usage:
  npm run keys -- create NAME ROLE[,ROLE]   a new API key, printed once (roles: ${roles.join(', ')})
  npm run keys -- list                      every key, revoked ones included (never their secrets)
  npm run keys -- revoke ID                 the key stops working at once
asks the waiter (WAITER_URL), which keeps the keys in its store, signing as the gateway (GATEWAY_SIGNING_KEY)`

const config = loadGatewayConfig()
const [command, first = '', second = ''] = process.argv.slice(2)
const isRole = (role: string): role is Role => (roles as readonly string[]).includes(role)
const wanted = second.split(',').filter(Boolean)
const valid = command === 'list' || (command === 'revoke' && first) || (command === 'create' && first && wanted.length > 0 && wanted.every(isRole))
if (!valid) {
  process.stderr.write(`${usage}\n`)
  process.exit(2)
}

const [waiter] = upstreamUrls(config.WAITER_URL)
const sign = createServiceSigner('gateway', signingKeyFrom(config.GATEWAY_SIGNING_KEY, 'GATEWAY_SIGNING_KEY'))
const { identity, requestId } = cliCaller()

/** One call to the waiter's key routes, as the gateway forwards an admin's. */
async function call(method: 'GET' | 'POST' | 'DELETE', path: string, body?: object): Promise<{ status: number; body: unknown }> {
  const headers = { ...gatewayIdentityHeader(sign, { method, url: path }, identity), [REQUEST_ID_HEADER]: requestId, ...(body ? { 'content-type': 'application/json' } : {}) }
  try {
    const response = await fetch(`${waiter}${path}`, { method, headers, ...(body ? { body: JSON.stringify(body) } : {}), signal: AbortSignal.timeout(10_000) })
    return { status: response.status, body: await response.json() }
  } catch (err) {
    process.stderr.write(`cannot reach the waiter at ${waiter}: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exit(1)
  }
}

function expect(answer: { status: number; body: unknown }, ...statuses: number[]): void {
  if (statuses.includes(answer.status)) return
  process.stderr.write(`the waiter answered ${answer.status}: ${JSON.stringify(answer.body)}\n`)
  process.exit(1)
}

if (command === 'create') {
  const created = await call('POST', '/api/keys', { name: first, roles: wanted.filter(isRole) })
  expect(created, 201)
  const { id, name, key } = created.body as ApiKey & { key: string }
  process.stdout.write(`created ${id} (${name}: ${wanted.join(', ')}); the key, shown once:\n${key}\n`)
} else if (command === 'revoke') {
  const revoked = await call('DELETE', `/api/keys/${encodeURIComponent(first)}`)
  expect(revoked, 200, 404)
  process.stdout.write(revoked.status === 200 ? `revoked ${first} (${(revoked.body as ApiKey).name})\n` : `no key ${first}\n`)
  if (revoked.status !== 200) process.exitCode = 1
} else {
  const listed = await call('GET', '/api/keys')
  expect(listed, 200)
  process.stdout.write(`API keys kept by the waiter at ${waiter}\n`)
  for (const key of (listed.body as { keys: ApiKey[] }).keys) {
    process.stdout.write(`${key.id}  ${key.revokedAt ? `revoked ${key.revokedAt}` : 'active'}  ${key.roles.join(',')}  ${key.name}\n`)
  }
}
