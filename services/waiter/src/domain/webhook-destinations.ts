import ipaddr from 'ipaddr.js'

/**
 * Where a webhook may be sent. A destination must be reachable only over the public internet: the waiter must not
 * become a way for a partner to reach what sits beside it (loopback, the private network, the cloud's metadata
 * address at 169.254.169.254). Only ipaddr.js's `unicast` range is public; every other range it names is refused:
 * IPv4 unspecified, broadcast, multicast, linkLocal, loopback, carrierGradeNat, private, reserved, as112, amt,
 * benchmarking; IPv6 unspecified, linkLocal, multicast, loopback, uniqueLocal, deprecatedSiteLocal, discard, rfc6145,
 * rfc6052, 6to4, teredo, benchmarking, amt, as112v6, deprecatedOrchid, orchid2, droneRemoteIdProtocolEntityTags,
 * segmentRouting, reserved. An IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) is judged as the IPv4 address it dials.
 */

/** The ipaddr.js range that makes `address` non-public (`invalid` when it is no IP address), or undefined when public. */
export function forbiddenRange(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return 'invalid'
  const range = ipaddr.process(address).range()
  return range === 'unicast' ? undefined : range
}

export function isForbiddenAddress(address: string): boolean {
  return forbiddenRange(address) !== undefined
}

/** Why `address` may not be dialled, or undefined when it may. */
export function addressProblem(address: string): string | undefined {
  const range = forbiddenRange(address)
  return range === undefined ? undefined : `${address} is not a public address (${range})`
}

/** Why a name that resolves to `addresses` may not be dialled (the first address that is not public), or undefined. */
export function resolvedAddressesProblem(hostname: string, addresses: readonly string[]): string | undefined {
  const forbidden = addresses.find(isForbiddenAddress)
  return forbidden === undefined ? undefined : `${hostname} resolves to ${forbidden}, which is not public (${forbiddenRange(forbidden)})`
}

/**
 * Why `url` may not be a webhook's destination, as far as can be told without DNS, or undefined when it may.
 * `allowPrivate` (development and tests) also allows plain `http` and non-public addresses, for local receivers.
 */
export function destinationProblem(url: string, allowPrivate: boolean): string | undefined {
  if (!URL.canParse(url)) return 'is not a valid URL'
  const { protocol, username, password, hostname } = new URL(url)
  if (!isAllowedProtocol(protocol, allowPrivate)) return allowPrivate ? 'must be https or http' : 'must be https'
  if (username !== '' || password !== '') return 'credentials in the URL are not allowed'
  if (allowPrivate) return undefined
  if (isLocalhostName(hostname)) return `${hostname} always names the loopback address`
  const literal = literalAddress(hostname)
  return literal === undefined ? undefined : addressProblem(literal)
}

function isAllowedProtocol(protocol: string, allowPrivate: boolean): boolean {
  return protocol === 'https:' || (allowPrivate && protocol === 'http:')
}

// RFC 6761: `localhost` and every name under it resolve to loopback, whatever DNS says.
function isLocalhostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '')
  return name === 'localhost' || name.endsWith('.localhost')
}

/** The IP address a URL's host spells out, or undefined when it is a name (the URL parser already normalised it). */
export function literalAddress(hostname: string): string | undefined {
  if (hostname.startsWith('[') && hostname.endsWith(']')) return hostname.slice(1, -1)
  return ipaddr.IPv4.isValidFourPartDecimal(hostname) ? hostname : undefined
}
