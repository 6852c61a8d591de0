import type { LookupAddress } from 'node:dns'
import { isIP } from 'node:net'
import type { ResolveAddresses } from '../../src/adapters/safe-dialer.js'

/**
 * A resolver that answers every name with `answers` in turn, the last one from then on (as a name whose owner
 * changes its records, e.g. to rebind it), and counts the questions. No answer at all is ENOTFOUND.
 */
export function fakeDns(...answers: string[][]): ResolveAddresses & { calls: () => number } {
  let calls = 0
  const resolve = async (hostname: string): Promise<LookupAddress[]> => {
    const answer = answers[Math.min(calls++, answers.length - 1)]
    if (answer === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' })
    return answer.map((address) => ({ address, family: isIP(address) }))
  }
  return Object.assign(resolve, { calls: () => calls })
}
