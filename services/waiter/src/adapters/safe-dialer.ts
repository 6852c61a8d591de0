import createError from '@fastify/error'
import { promises as dns, type LookupAddress } from 'node:dns'
import { isIP, type LookupFunction } from 'node:net'
import { Agent, buildConnector } from 'undici'
import { addressProblem, resolvedAddressesProblem } from '../domain/webhook-destinations.js'

export const DestinationRefusedError = createError('DESTINATION_REFUSED', 'refused to dial: %s')

/** Every address a name resolves to (as `dns.promises.lookup(name, { all: true })`); tests fake DNS with their own. */
export type ResolveAddresses = (hostname: string) => Promise<LookupAddress[]>

export const resolveAddresses: ResolveAddresses = (hostname) => dns.lookup(hostname, { all: true })

export interface SafeAgentOptions {
  /** Allows non-public addresses (development and tests): names are still resolved with `lookup`, but not judged. */
  allowPrivate: boolean
  connectTimeoutMs: number
  lookup: ResolveAddresses
}

/**
 * An undici agent that dials only public addresses. The check is on the address the socket is about to connect
 * to, resolved once for that connection: a name that answered a public address when it was registered and a
 * private one now (DNS rebinding) is refused here. A literal IP is checked before dialling, since Node's sockets
 * skip the lookup for one.
 */
export function createSafeAgent({ allowPrivate, connectTimeoutMs, lookup }: SafeAgentOptions): Agent {
  const dial = buildConnector({ timeout: connectTimeoutMs, lookup: judgingLookup(lookup, !allowPrivate) })
  const connect: buildConnector.connector = (options, callback) => {
    const problem = !allowPrivate && isIP(options.hostname) !== 0 ? addressProblem(options.hostname) : undefined
    if (problem === undefined) return dial(options, callback)
    callback(new DestinationRefusedError(problem), null)
  }
  return new Agent({ connect })
}

/** A socket's lookup that resolves with `lookup` and, when `judge`, fails when any address is not public. */
function judgingLookup(lookup: ResolveAddresses, judge: boolean): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname).then(
      (found) => {
        const problem = judge ? resolvedAddressesProblem(hostname, found.map(({ address }) => address)) : undefined
        if (problem !== undefined) return callback(new DestinationRefusedError(problem), '')
        const [first] = found
        if (first === undefined) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '')
        // Node asks for every address when it races them (autoSelectFamily, its default), else for one.
        if (options.all) callback(null, found)
        else callback(null, first.address, first.family)
      },
      (err: NodeJS.ErrnoException) => callback(err, ''),
    )
  }
}
