import t, { type Test } from 'tap'
import { startInProcessSystem } from '../../../test/support/in-process-system.js'
import { runCli } from './run-cli.js'

/** The keys tool in front of a waiter of the test's own, which keeps the keys in its store. */
async function keysTool(t: Test) {
  const system = await startInProcessSystem(t, {}, { withKitchen: false })
  const env = { WAITER_URL: await system.app.listen({ host: '127.0.0.1', port: 0 }), REDIS_PREFIX: system.run.redisPrefix }
  return (...args: string[]) => runCli('api-keys.ts', args, env)
}

t.test('a created key is printed once, then listed as active without its secret', async (t) => {
  const keys = await keysTool(t)
  const created = await keys('create', 'front till', 'customer,staff')
  t.equal(created.code, 0, created.stderr)
  const [, id, key] = /^created ([0-9a-f]{12}) \(front till: customer, staff\); the key, shown once:\n(rk_\S+)\n$/.exec(created.stdout) ?? []
  t.ok(id && key, created.stdout)
  const listed = await keys('list')
  t.match(listed.stdout, new RegExp(`^${id}  active  customer,staff  front till$`, 'm'))
  t.notOk(listed.stdout.includes(key ?? 'no key'), 'no secret in the list')
})

t.test('a revoked key is listed as revoked; revoking an unknown key exits 1', async (t) => {
  const keys = await keysTool(t)
  const id = /^created ([0-9a-f]{12})/.exec((await keys('create', 'partner', 'customer')).stdout)?.[1] ?? ''
  t.match((await keys('revoke', id)).stdout, `revoked ${id} (partner)`)
  t.match((await keys('list')).stdout, new RegExp(`^${id}  revoked \\S+  customer  partner$`, 'm'))
  const unknown = await keys('revoke', '0'.repeat(12))
  t.equal(unknown.code, 1)
  t.equal(unknown.stdout, `no key ${'0'.repeat(12)}\n`)
})

t.test('without a waiter to ask, the tool says so and exits 1', async (t) => {
  const unreachable = await runCli('api-keys.ts', ['list'], { WAITER_URL: 'http://127.0.0.1:1' })
  t.equal(unreachable.code, 1)
  t.match(unreachable.stderr, /cannot reach the waiter/)
})

t.test('an unknown command, a missing name or an unknown role prints the usage and exits 2', async (t) => {
  const attempts = [[], ['drop'], ['create', 'till'], ['create', 'till', 'root'], ['revoke']]
  const answers = await Promise.all(attempts.map(async (args) => ({ args, ...(await runCli('api-keys.ts', args)) })))
  for (const { args, code, stderr } of answers) {
    t.equal(code, 2, args.join(' '))
    t.match(stderr, /^usage:/)
  }
})
