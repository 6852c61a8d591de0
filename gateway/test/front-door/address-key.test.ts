import t from 'tap'
import { addressKeyOf } from '../../src/front-door/address-key.js'

t.test('IPv6 addresses of one /64 share a key; IPv4 addresses, mapped or not, are each their own', async (t) => {
  t.equal(addressKeyOf('2001:db8:1:2:aaaa:bbbb:cccc:dddd', 64), '2001:db8:1:2::/64')
  t.equal(addressKeyOf('2001:db8:1:2::1', 64), addressKeyOf('2001:db8:1:2:ffff:ffff:ffff:ffff', 64))
  t.not(addressKeyOf('2001:db8:1:2::1', 64), addressKeyOf('2001:db8:1:3::1', 64), 'the next /64 is another budget')
  t.equal(addressKeyOf('2001:db8:1:2:3::1', 48), '2001:db8:1::/48', 'the prefix is a setting')
  t.equal(addressKeyOf('2001:db8::1', 128), '2001:db8::1/128')
  t.equal(addressKeyOf('203.0.113.7', 64), '203.0.113.7')
  t.equal(addressKeyOf('::ffff:203.0.113.7', 64), '203.0.113.7', 'an IPv4-mapped address counts as its IPv4 address')
  t.equal(addressKeyOf('not an address', 64), 'not an address')
})
