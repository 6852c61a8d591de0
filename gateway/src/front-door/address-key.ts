import ipaddr from 'ipaddr.js'

/**
 * The key an address's budget is counted under. An IPv4 address (mapped into IPv6 or not) is itself; an IPv6
 * address counts with every other address of its network of `ipv6PrefixLength` bits (a /64 by default), since one
 * subscriber is commonly given a whole /64 and could otherwise spread its requests over as many addresses as it likes.
 */
export function addressKeyOf(address: string, ipv6PrefixLength: number): string {
  if (!ipaddr.isValid(address)) return address
  const parsed = ipaddr.process(address)
  if (parsed.kind() === 'ipv4') return parsed.toString()
  const bytes = parsed.toByteArray().map((byte, index) => byte & maskByte(index, ipv6PrefixLength))
  return `${ipaddr.fromByteArray(bytes).toString()}/${ipv6PrefixLength}`
}

function maskByte(index: number, prefixLength: number): number {
  const bits = Math.min(8, Math.max(0, prefixLength - index * 8))
  return (0xff << (8 - bits)) & 0xff
}
