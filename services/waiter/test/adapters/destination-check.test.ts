import t from 'tap'
import { checkDestination } from '../../src/adapters/destination-check.js'
import { fakeDns } from './fake-dns.js'

t.test('a name whose every address is public may be registered', async (t) => {
  t.equal(await checkDestination('https://hooks.example.com/', { allowPrivate: false, lookup: fakeDns(['93.184.216.34', '2606:2800:220:1::1']) }), undefined)
})

t.test('a name that resolves to a private address is refused, naming it, even when its other addresses are public', async (t) => {
  const lookup = fakeDns(['93.184.216.34', '10.1.2.3'])
  t.equal(await checkDestination('https://internal.example/', { allowPrivate: false, lookup }), 'internal.example resolves to 10.1.2.3, which is not public (private)')
})

t.test('a name that does not resolve is refused, even where private destinations are allowed', async (t) => {
  t.equal(await checkDestination('https://gone.example/', { allowPrivate: true, lookup: fakeDns() }), 'gone.example does not resolve (ENOTFOUND)')
  t.equal(await checkDestination('https://empty.example/', { allowPrivate: false, lookup: fakeDns([]) }), 'empty.example does not resolve')
})

t.test('what the URL alone refuses is refused without asking DNS', async (t) => {
  const lookup = fakeDns(['93.184.216.34'])
  t.equal(await checkDestination('http://hooks.example.com/', { allowPrivate: false, lookup }), 'must be https')
  t.equal(await checkDestination('https://169.254.169.254/', { allowPrivate: false, lookup }), '169.254.169.254 is not a public address (linkLocal)')
  t.equal(await checkDestination('https://93.184.216.34/', { allowPrivate: false, lookup }), undefined)
  t.equal(lookup.calls(), 0)
})

t.test('where private destinations are allowed, a name resolving to one may be registered', async (t) => {
  t.equal(await checkDestination('http://receiver.test:8080/', { allowPrivate: true, lookup: fakeDns(['127.0.0.1']) }), undefined)
})

t.test("names are resolved by the system's resolver unless told otherwise", async (t) => {
  t.equal(await checkDestination('http://localhost:8080/', { allowPrivate: true }), undefined)
})
