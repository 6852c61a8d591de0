import t from 'tap'
import { destinationProblem, forbiddenRange, isForbiddenAddress, literalAddress, resolvedAddressesProblem } from '../../src/domain/webhook-destinations.js'

const nonPublic: Record<string, string> = {
  '127.0.0.1': 'loopback',
  '127.255.0.9': 'loopback',
  '::1': 'loopback',
  '10.0.0.1': 'private',
  '172.16.0.1': 'private',
  '172.31.255.254': 'private',
  '192.168.1.1': 'private',
  '169.254.169.254': 'linkLocal',
  'fe80::1': 'linkLocal',
  'fc00::1': 'uniqueLocal',
  'fd12:3456::1': 'uniqueLocal',
  '0.0.0.0': 'unspecified',
  '::': 'unspecified',
  '100.64.0.1': 'carrierGradeNat',
  '224.0.0.1': 'multicast',
  'ff02::1': 'multicast',
  '255.255.255.255': 'broadcast',
  '240.0.0.1': 'reserved',
  '192.0.2.1': 'reserved',
  '::ffff:127.0.0.1': 'loopback',
  '::ffff:a00:1': 'private',
  '::ffff:169.254.169.254': 'linkLocal',
  '2002:a00:1::': '6to4',
  '2001:0:4136:e378:8000:63bf:3fff:fdd2': 'teredo',
  '64:ff9b::a00:1': 'rfc6052',
}

t.test('every loopback, private, link-local, metadata and otherwise non-public address is forbidden, by its range', async (t) => {
  for (const [address, range] of Object.entries(nonPublic)) {
    t.equal(forbiddenRange(address), range, address)
    t.ok(isForbiddenAddress(address), address)
  }
})

t.test('public addresses, IPv4-mapped ones included, are allowed', async (t) => {
  for (const address of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
    t.notOk(isForbiddenAddress(address), address)
  }
})

t.test('what is no IP address is forbidden rather than guessed at', async (t) => {
  t.equal(forbiddenRange('example.com'), 'invalid')
  t.ok(isForbiddenAddress(''))
})

t.test('an https URL to a public name or address may be registered', async (t) => {
  t.equal(destinationProblem('https://hooks.example.com/orders?x=1', false), undefined)
  t.equal(destinationProblem('https://8.8.8.8:8443/hook', false), undefined)
  t.equal(destinationProblem('https://[2606:4700:4700::1111]/hook', false), undefined)
})

t.test('only https is allowed, and plain http too when private destinations are', async (t) => {
  t.equal(destinationProblem('http://hooks.example.com/', false), 'must be https')
  t.equal(destinationProblem('ftp://hooks.example.com/', false), 'must be https')
  t.equal(destinationProblem('http://hooks.example.com/', true), undefined)
  t.equal(destinationProblem('ftp://hooks.example.com/', true), 'must be https or http')
})

t.test('a URL that does not parse is refused', async (t) => {
  t.equal(destinationProblem('not a url', false), 'is not a valid URL')
  t.equal(destinationProblem('https://', true), 'is not a valid URL')
})

t.test('credentials in the URL are refused, even where private destinations are allowed', async (t) => {
  t.equal(destinationProblem('https://user:pass@hooks.example.com/', false), 'credentials in the URL are not allowed')
  t.equal(destinationProblem('http://user@127.0.0.1/', true), 'credentials in the URL are not allowed')
})

t.test('a literal non-public address is refused with the address and its range', async (t) => {
  t.equal(destinationProblem('https://127.0.0.1/', false), '127.0.0.1 is not a public address (loopback)')
  t.equal(destinationProblem('https://[::1]:8443/', false), '::1 is not a public address (loopback)')
  t.equal(destinationProblem('https://10.0.0.1/', false), '10.0.0.1 is not a public address (private)')
  t.equal(destinationProblem('https://169.254.169.254/latest/meta-data', false), '169.254.169.254 is not a public address (linkLocal)')
  t.equal(destinationProblem('https://[::ffff:127.0.0.1]/', false), '::ffff:7f00:1 is not a public address (loopback)')
})

t.test('addresses spelt in other notations are judged as the address the URL parser makes of them', async (t) => {
  t.equal(destinationProblem('https://2130706433/', false), '127.0.0.1 is not a public address (loopback)')
  t.equal(destinationProblem('https://0x7f.1/', false), '127.0.0.1 is not a public address (loopback)')
  t.equal(destinationProblem('https://0/', false), '0.0.0.0 is not a public address (unspecified)')
})

t.test('localhost names are refused without asking DNS', async (t) => {
  t.equal(destinationProblem('https://localhost/', false), 'localhost always names the loopback address')
  t.equal(destinationProblem('https://api.LOCALHOST./', false), 'api.localhost. always names the loopback address')
})

t.test('with private destinations allowed, local receivers may be registered', async (t) => {
  t.equal(destinationProblem('http://127.0.0.1:8080/hook', true), undefined)
  t.equal(destinationProblem('https://[::1]/', true), undefined)
  t.equal(destinationProblem('http://localhost:3000/', true), undefined)
})

t.test("a URL's host is a literal address only when it spells one out", async (t) => {
  t.equal(literalAddress('[::1]'), '::1')
  t.equal(literalAddress('10.0.0.1'), '10.0.0.1')
  t.equal(literalAddress('hooks.example.com'), undefined)
})

t.test('a name is refused when any address it resolves to is not public, naming that address', async (t) => {
  t.equal(resolvedAddressesProblem('hooks.example.com', ['8.8.8.8', '2606:4700:4700::1111']), undefined)
  t.equal(resolvedAddressesProblem('internal.example', ['8.8.8.8', '10.1.2.3']), 'internal.example resolves to 10.1.2.3, which is not public (private)')
})
