import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { queuePolicyFrom } from '@restaurant/platform/messaging/rabbit-bus'
import { loadConfig, rabbitConfig } from '@restaurant/platform/runtime/config'
import { isolatedRun, queueDepth } from '../../../../test/support/isolation.js'

const cli = fileURLToPath(new URL('../../dist/bin/webhooks.js', import.meta.url))
const secretPattern = /^whsec_\S+$/m

interface Answer {
  code: number
  stdout: string
  stderr: string
}

/** The built CLI on the embedded store of a DATA_DIR of its own, under a namespace of its own (MONGO_URL dropped). */
async function webhooksTool(t: Test, env: Record<string, string> = { WEBHOOK_ALLOW_PRIVATE_DESTINATIONS: 'true' }) {
  const run = await isolatedRun(queuePolicyFrom(loadConfig(rabbitConfig, {})))
  t.teardown(() => run.cleanUp())
  const { MONGO_URL: _mongo, ...inherited } = process.env
  const childEnv = { ...inherited, NODE_ENV: 'test', DATA_DIR: run.dataDir, AMQP_NAMESPACE: run.namespace, ...env }
  const tool = (...args: string[]) =>
    new Promise<Answer>((resolve) => {
      const child = execFile(process.execPath, [cli, ...args], { env: childEnv }, (_err, stdout, stderr) => resolve({ code: child.exitCode ?? -1, stdout, stderr }))
    })
  return { tool, namespace: run.namespace }
}

async function created(tool: (...args: string[]) => Promise<Answer>, ...args: string[]): Promise<{ id: string; secret: string }> {
  const answer = await tool('create', 'http://127.0.0.1:9/hooks', 'order.placed,menu.changed', ...args)
  const id = /^created (wh_[0-9a-f]{32}) /.exec(answer.stdout)?.[1]
  const secret = secretPattern.exec(answer.stdout)?.[0]
  if (answer.code !== 0 || !id || !secret) throw new Error(`create failed: ${answer.stdout}${answer.stderr}`)
  return { id, secret }
}

t.test('a created subscription prints its secret once; the list shows it without the secret', async (t) => {
  const { tool } = await webhooksTool(t)
  const { id, secret } = await created(tool, '--customer-details')
  const listed = await tool('list')
  t.equal(listed.code, 0)
  t.match(listed.stdout, new RegExp(`^${id}  active  order\\.placed,menu\\.changed  customer-details  http://127\\.0\\.0\\.1:9/hooks$`, 'm'))
  t.notOk(listed.stdout.includes(secret), 'no secret in the list')
  t.notOk((await tool('show', id)).stdout.includes(secret), 'no secret in the details')
})

t.test('a paused subscription shows who paused it; resumed, it is active again', async (t) => {
  const { tool } = await webhooksTool(t)
  const { id } = await created(tool)
  t.match((await tool('pause', id)).stdout, `paused ${id}  paused`)
  t.match((await tool('show', id)).stdout, /^state: paused$[\s\S]*^pausedReason: paused by cli:\S+$/m)
  t.match((await tool('resume', id)).stdout, `resumed ${id}  active`)
  const shown = (await tool('show', id)).stdout
  t.match(shown, /^state: active$/m)
  t.notMatch(shown, /pausedReason/)
})

t.test('a rotated secret is a new one, printed once, with the end of the previous one\'s overlap', async (t) => {
  const { tool } = await webhooksTool(t)
  const { id, secret } = await created(tool)
  const rotated = await tool('rotate', id)
  t.equal(rotated.code, 0)
  const fresh = secretPattern.exec(rotated.stdout)?.[0]
  t.ok(fresh && fresh !== secret, 'a new secret')
  t.match(rotated.stdout, /^the previous secret signs too until \d{4}-\d\d-\d\dT/m)
})

t.test('a ping is queued on the waiter\'s webhook queue', async (t) => {
  const { tool, namespace } = await webhooksTool(t)
  const { id } = await created(tool)
  const pinged = await tool('ping', id)
  t.equal(pinged.code, 0, pinged.stderr)
  t.match(pinged.stdout, new RegExp(`^queued evt_ping_\\S+ for ${id}$`, 'm'))
  t.equal(await queueDepth(`${namespace}.waiter.webhooks`), 1)
})

t.test('a deleted subscription is gone; deleting or showing an unknown one exits 1 naming it', async (t) => {
  const { tool } = await webhooksTool(t)
  const { id } = await created(tool)
  t.equal((await tool('delete', id)).stdout, `deleted ${id}\n`)
  t.notMatch((await tool('list')).stdout, id)
  for (const command of ['delete', 'show', 'deliveries']) {
    const unknown = await tool(command, id)
    t.equal(unknown.code, 1, command)
    t.match(unknown.stderr, `No webhook subscription ${id}`)
  }
})

t.test('a destination on a private address is refused with the reason unless the operator allows it', async (t) => {
  const { tool } = await webhooksTool(t, { WEBHOOK_ALLOW_PRIVATE_DESTINATIONS: 'false' })
  const refused = await tool('create', 'https://10.0.0.1/x', 'order.placed')
  t.equal(refused.code, 1)
  t.match(refused.stderr, /10\.0\.0\.1.*private/, refused.stderr)
  t.equal((await tool('list')).stdout, '', 'nothing subscribed')
})

t.test('an unknown command, a missing id, an unknown type or flag prints the usage and exits 2', async (t) => {
  const { tool } = await webhooksTool(t)
  const attempts = [[], ['drop'], ['show'], ['create', 'https://example.com/x'], ['create', 'https://example.com/x', 'order.eaten'], ['create', 'https://example.com/x', 'order.placed', '--all'], ['list', 'extra']]
  const answers = await Promise.all(attempts.map(async (args) => ({ args, ...(await tool(...args)) })))
  for (const { args, code, stderr } of answers) {
    t.equal(code, 2, args.join(' '))
    t.match(stderr, /^usage:/)
  }
})
