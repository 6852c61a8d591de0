import t from 'tap'
import { unavailableOnFailure } from '../../src/runtime/dependencies.js'
import { DependencyUnavailableError } from '../../src/runtime/errors.js'

class Offline extends Error {}

function store() {
  return {
    value: 7,
    async read(n: number) {
      if (n < 0) throw new Offline('socket closed')
      if (n === 0) throw new RangeError('zero is not an id')
      return n * this.value
    },
  }
}

t.test('a method that fails as the dependency being away fails with DependencyUnavailableError naming it, the cause kept', async (t) => {
  const wrapped = unavailableOnFailure('the store', store(), (err) => err instanceof Offline)
  const err = await wrapped.read(-1).catch((caught: unknown) => caught)
  t.ok(err instanceof DependencyUnavailableError)
  t.match(err, { message: /^the store is out of reach/ })
  t.ok((err as Error).cause instanceof Offline)
})

t.test('other failures and results pass through untouched, with `this` bound to the target', async (t) => {
  const wrapped = unavailableOnFailure('the store', store(), (err) => err instanceof Offline)
  t.equal(await wrapped.read(3), 21)
  await t.rejects(wrapped.read(0), RangeError)
  t.equal(wrapped.value, 7, 'properties are read as they are')
})

t.test('an error already saying a dependency is away is not wrapped twice', async (t) => {
  const inner = new DependencyUnavailableError('Redis')
  const wrapped = unavailableOnFailure('the store', { fail: () => Promise.reject(inner) }, () => true)
  t.equal(await wrapped.fail().catch((caught: unknown) => caught), inner)
})
