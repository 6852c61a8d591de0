import ipaddr from 'ipaddr.js'
import type { FastifyInstance } from 'fastify'

// Where a reverse proxy or a load balancer usually sits: not loopback, which is a developer's own machine.
const PROXY_RANGES = new Set(['private', 'uniqueLocal', 'carrierGradeNat'])

function isPrivate(address: string): boolean {
  return ipaddr.isValid(address) && PROXY_RANGES.has(ipaddr.process(address).range())
}

/**
 * Without TRUST_PROXY the gateway takes the connection's address for the client's. When that is a private address,
 * the gateway is most likely behind a proxy, and every client behind it shares one address budget: said once.
 */
export function warnOfUntrustedProxy(app: FastifyInstance, trustProxy: readonly string[]): void {
  if (trustProxy.length > 0) return
  let warned = false
  app.addHook('onRequest', async (request) => {
    if (warned || !isPrivate(request.ip)) return
    warned = true
    request.log.warn(
      { address: request.ip, hint: 'set TRUST_PROXY to the proxies in front of the gateway' },
      'requests come from a private address while TRUST_PROXY is empty: every client behind that proxy shares one address budget',
    )
  })
}
