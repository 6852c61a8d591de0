import { execFile } from 'node:child_process'
import { userInfo } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import type { AuditPage, AuditRecord } from '@restaurant/contracts/audit'
import { topologyFor } from '@restaurant/contracts/messages'
import type { Order } from '@restaurant/contracts/orders'
import { admin, bearer, customer, staff } from '../support/credentials.js'
import { eventually } from '../support/isolation.js'
import { startStack, type Stack } from '../support/stack.js'

const root = join(import.meta.dirname, '..', '..')
const clis = {
  keys: join(root, 'gateway/dist/bin/api-keys.js'),
  webhooks: join(root, 'services/waiter/dist/bin/webhooks.js'),
  deadLetters: join(root, 'shared/platform/dist/bin/dead-letters.js'),
}
const operator = `cli:${userInfo().username}`
const guest = bearer(customer('audit-guest'))
const soup = { id: 'audit-soup', name: 'Audit soup', description: 'Of the day', category: 'Starters', priceCents: 700, prepSeconds: 2, station: 'salad', available: true, optionGroups: [] }

/** What a change must have left: its action, by whom, on what, and (for a request through the gateway) its request id. */
interface Expected {
  action: string
  actor: string
  target?: string
  requestId?: string
  name?: string
}

/** JSON to the gateway as `credential`; the answer's status, body and request id. */
async function call<T>(stack: Stack, method: string, path: string, credential: Record<string, string>, body?: object, headers: Record<string, string> = {}) {
  const response = await fetch(`${stack.gateway.url}${path}`, {
    method,
    headers: { ...credential, ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  return { status: response.status, body: (await response.json().catch(() => undefined)) as T, requestId: response.headers.get('x-request-id') ?? '' }
}

/** Runs a built CLI with the stack's settings (its DATA_DIR, namespace and Redis prefix, the waiter's URL). */
function runCli(stack: Stack, cli: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'test',
    DATA_DIR: stack.run.dataDir,
    AMQP_NAMESPACE: stack.run.namespace,
    REDIS_PREFIX: stack.run.redisPrefix,
    WAITER_URL: stack.waiter.url,
    WEBHOOK_ALLOW_PRIVATE_DESTINATIONS: 'true',
  }
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [cli, ...args], { env }, (_err, stdout, stderr) => resolve({ code: child.exitCode ?? -1, stdout, stderr }))
  })
}

/** Every mutating route, as admins and staff call them through the gateway; what each must have recorded. */
async function changeThroughTheApi(t: Test, stack: Stack): Promise<Expected[]> {
  const done: Expected[] = []
  const expect = (answer: { status: number; requestId: string }, status: number, expected: Omit<Expected, 'requestId'>) => {
    t.equal(answer.status, status, expected.action)
    done.push({ ...expected, requestId: answer.requestId })
  }
  const created = await call<{ id: string }>(stack, 'POST', '/api/keys', bearer(admin), { name: 'audit till', roles: ['staff'] })
  expect(created, 201, { action: 'api-key.created', actor: admin.subject, name: 'audit till' })
  expect(await call(stack, 'DELETE', `/api/keys/${created.body.id}`, bearer(admin)), 200, { action: 'api-key.revoked', actor: admin.subject, target: created.body.id })
  expect(await call(stack, 'POST', '/api/revocations', bearer(admin), { subject: 'audit-leaver' }), 201, { action: 'tokens.revoked', actor: admin.subject, target: 'audit-leaver' })
  expect(await call(stack, 'PATCH', '/api/menu/fries', bearer(staff), { available: false }), 200, { action: 'menu-item.availability-changed', actor: staff.subject, target: 'fries' })
  expect(await call(stack, 'POST', '/api/menu/items', bearer(admin), soup), 201, { action: 'menu-item.added', actor: admin.subject, target: soup.id })
  const changed = await call(stack, 'PATCH', `/api/menu/items/${soup.id}`, bearer(admin), { priceCents: 750 }, { 'if-match': '"1"' })
  expect(changed, 200, { action: 'menu-item.changed', actor: admin.subject, target: soup.id })
  expect(await call(stack, 'POST', `/api/menu/items/${soup.id}/retire`, bearer(admin), undefined, { 'if-match': '"2"' }), 200, { action: 'menu-item.retired', actor: admin.subject, target: soup.id })
  const waiting = await orderWaitingForItsStation(stack)
  expect(await call(stack, 'POST', `/api/orders/${waiting}/cancel`, bearer(staff)), 202, { action: 'order.cancelled-by-staff', actor: staff.subject, target: waiting })
  const subscribed = await call<{ subscription: { id: string } }>(stack, 'POST', '/api/webhooks', bearer(admin), { url: 'http://127.0.0.1:9/hooks', types: ['order.placed'] })
  const id = subscribed.body.subscription.id
  expect(subscribed, 201, { action: 'webhook.created', actor: admin.subject, target: id })
  for (const [path, action, status] of [['ping', 'pinged', 202], ['rotate-secret', 'secret-rotated', 200], ['pause', 'paused', 200], ['resume', 'resumed', 200]] as const) {
    expect(await call(stack, 'POST', `/api/webhooks/${id}/${path}`, bearer(admin)), status, { action: `webhook.${action}`, actor: admin.subject, target: id })
  }
  expect(await call(stack, 'DELETE', `/api/webhooks/${id}`, bearer(admin)), 204, { action: 'webhook.deleted', actor: admin.subject, target: id })
  return done
}

/** An order still `placed` or `accepted`: twenty burgers hold the grill while the next one waits its turn. */
async function orderWaitingForItsStation(stack: Stack): Promise<string> {
  const busy = await call<Order>(stack, 'POST', '/api/orders', guest, { items: [{ menuItemId: 'classic-burger', quantity: 20 }] })
  const waiting = await call<Order>(stack, 'POST', '/api/orders', guest, { items: [{ menuItemId: 'classic-burger', quantity: 1 }] })
  await eventually(async () => ((await call<Order>(stack, 'GET', `/api/orders/${busy.body.id}`, guest)).body.status === 'cooking' ? true : undefined), 20_000, 'the grill to be busy')
  return waiting.body.id
}

/** Every CLI command that changes something, run as an operator would; what each must have recorded. */
async function changeThroughTheClis(t: Test, stack: Stack): Promise<Expected[]> {
  const ran = async (cli: string, ...args: string[]) => {
    const answer = await runCli(stack, cli, ...args)
    t.equal(answer.code, 0, `${args.join(' ')}: ${answer.stderr}`)
    return answer.stdout
  }
  const keyId = /^created ([0-9a-f]{12}) /m.exec(await ran(clis.keys, 'create', 'audit-cli-till', 'staff'))?.[1] ?? ''
  await ran(clis.keys, 'revoke', keyId)
  const hookId = /^created (wh_[0-9a-f]{32}) /m.exec(await ran(clis.webhooks, 'create', 'http://127.0.0.1:9/hooks', 'order.placed'))?.[1] ?? ''
  for (const command of ['ping', 'rotate', 'pause', 'resume', 'delete']) await ran(clis.webhooks, command, hookId)
  const queue = topologyFor(stack.run.namespace).queues.waiterWebhooks.queue
  await ran(clis.deadLetters, 'replay', queue)
  const webhook = (action: string): Expected => ({ action: `webhook.${action}`, actor: operator, target: hookId })
  return [
    { action: 'api-key.created', actor: operator, name: 'audit-cli-till' },
    { action: 'api-key.revoked', actor: operator, target: keyId },
    ...['created', 'pinged', 'secret-rotated', 'paused', 'resumed', 'deleted'].map(webhook),
    { action: 'dead-letters.replayed', actor: operator, target: queue },
  ]
}

const matches = (record: AuditRecord, expected: Expected) =>
  record.action === expected.action &&
  record.actor.subject === expected.actor &&
  record.outcome === 'requested' &&
  (expected.target === undefined || record.target === expected.target) &&
  (expected.requestId === undefined || record.requestId === expected.requestId) &&
  (expected.name === undefined || record.detail.name === expected.name)

t.test('every change through the API and every CLI command leaves its record, which admins alone read', async (t) => {
  const stack = await startStack({ WEBHOOK_ALLOW_PRIVATE_DESTINATIONS: 'true', KITCHEN_SPEED_FACTOR: '0.5' })
  t.teardown(stack.stop)
  const expected = [...(await changeThroughTheApi(t, stack)), ...(await changeThroughTheClis(t, stack))]
  const read = await call<AuditPage>(stack, 'GET', '/api/audit?limit=500', bearer(admin))
  t.equal(read.status, 200)
  for (const change of expected) t.ok(read.body.records.some((record) => matches(record, change)), `${change.action} by ${change.actor} is recorded`)
  t.same(read.body.records.map((record) => record.id), read.body.records.map((record) => record.id).sort().reverse(), 'newest first')
  t.notOk(JSON.stringify(read.body).match(/rk_[0-9a-f]{12}_|whsec_/), 'no credential in any record')

  const paused = await call<AuditPage>(stack, 'GET', `/api/audit?action=webhook.paused&actor=${encodeURIComponent(operator)}`, bearer(admin))
  t.same(paused.body.records.map((record) => [record.action, record.actor.subject]), [['webhook.paused', operator]], 'filtered by action and actor')
  for (const credential of [bearer(staff), guest]) t.equal((await call(stack, 'GET', '/api/audit', credential)).status, 403, 'only admins read the log')
})
