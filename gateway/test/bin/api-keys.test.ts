import t, { type Test } from 'tap'
import { removeRedisKeys } from '../../../test/support/isolation.js'
import { runCli } from './run-cli.js'

/** The keys tool on the machine's Redis, under a prefix of its own. */
function keysTool(t: Test) {
  const env = { REDIS_PREFIX: `test-keys-cli-${process.pid}-${Math.random().toString(36).slice(2)}:` }
  t.teardown(() => removeRedisKeys(env.REDIS_PREFIX))
  return (...args: string[]) => runCli('api-keys.ts', args, env)
}

t.test('a created key is printed once, then listed as active without its secret', async (t) => {
  const keys = keysTool(t)
  const created = await keys('create', 'front till', 'customer,staff')
  t.equal(created.code, 0)
  const [, id, key] = /^created ([0-9a-f]{12}) \(front till: customer, staff\); the key, shown once:\n(rk_\S+)\n$/.exec(created.stdout) ?? []
  t.ok(id && key, created.stdout)
  const listed = await keys('list')
  t.match(listed.stdout, new RegExp(`^${id}  active  customer,staff  front till$`, 'm'))
  t.notOk(listed.stdout.includes(key ?? 'no key'), 'no secret in the list')
})

t.test('a revoked key is listed as revoked; revoking an unknown key exits 1', async (t) => {
  const keys = keysTool(t)
  const id = /^created ([0-9a-f]{12})/.exec((await keys('create', 'partner', 'customer')).stdout)?.[1] ?? ''
  t.match((await keys('revoke', id)).stdout, `revoked ${id} (partner)`)
  t.match((await keys('list')).stdout, new RegExp(`^${id}  revoked \\S+  customer  partner$`, 'm'))
  const unknown = await keys('revoke', '0'.repeat(12))
  t.equal(unknown.code, 1)
  t.equal(unknown.stdout, `no key ${'0'.repeat(12)}\n`)
})

t.test('an unknown command, a missing name or an unknown role prints the usage and exits 2', async (t) => {
  const keys = keysTool(t)
  const attempts = [[], ['drop'], ['create', 'till'], ['create', 'till', 'root'], ['revoke']]
  const answers = await Promise.all(attempts.map(async (args) => ({ args, ...(await keys(...args)) })))
  for (const { args, code, stderr } of answers) {
    t.equal(code, 2, args.join(' '))
    t.match(stderr, /^usage:/)
  }
})
