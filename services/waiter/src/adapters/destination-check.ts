import { destinationProblem, literalAddress, resolvedAddressesProblem } from '../domain/webhook-destinations.js'
import { resolveAddresses, type ResolveAddresses } from './safe-dialer.js'

export interface DestinationCheckOptions {
  allowPrivate: boolean
  lookup?: ResolveAddresses
}

/**
 * Why `url` may not be registered as a webhook's destination, or undefined when it may: the rules on the URL, then
 * every address its name resolves to now. A name that does not resolve is refused. Passing here does not make a
 * later delivery safe (DNS may answer otherwise then): the sender judges the address it dials again.
 */
export async function checkDestination(url: string, { allowPrivate, lookup = resolveAddresses }: DestinationCheckOptions): Promise<string | undefined> {
  const problem = destinationProblem(url, allowPrivate)
  if (problem !== undefined) return problem
  const { hostname } = new URL(url)
  if (literalAddress(hostname) !== undefined) return undefined
  try {
    const addresses = (await lookup(hostname)).map(({ address }) => address)
    if (addresses.length === 0) return `${hostname} does not resolve`
    return allowPrivate ? undefined : resolvedAddressesProblem(hostname, addresses)
  } catch (err) {
    return `${hostname} does not resolve (${(err as NodeJS.ErrnoException).code ?? 'lookup failed'})`
  }
}
