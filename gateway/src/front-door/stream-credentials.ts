import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { isApiKey } from '@restaurant/platform/auth/api-keys'
import { userTokenFactsOf } from '@restaurant/platform/auth/identity-jwt'
import type { CredentialChecks } from '../auth/credential-checks.js'

const bearer = /^Bearer ([\x21-\x7e]+)$/i
// setTimeout's longest delay; a token valid longer is looked at again then.
const LONGEST_TIMER_MS = 2 ** 31 - 1

/**
 * An event stream is authorized when it opens, but lives for as long as its client keeps it: the gateway ends it
 * when its credential does. A JWT's stream is closed when the token expires, and within `checkEveryMs` of its
 * revocation; an API key's within `checkEveryMs` of the key's. The client resumes with `Last-Event-ID`, and is then
 * asked for a valid one.
 */
export function createStreamCredentials(app: FastifyInstance, credentials: Pick<CredentialChecks, 'authenticateKey' | 'tokenRevoked'>, checkEveryMs: number) {
  function end(request: FastifyRequest, reply: FastifyReply, reason: string): void {
    request.log.info({ reason }, 'event stream closed: its credential ended')
    reply.raw.destroy()
  }

  /** Whether the credential has ended; a credential that cannot be checked now is not taken for ended: the next check decides. */
  function revocationCheck(token: string): (() => Promise<boolean>) | undefined {
    if (isApiKey(token)) return async () => (await credentials.authenticateKey(token).catch(() => null)) === undefined
    const facts = userTokenFactsOf(app.jwt.decode(token))
    return facts && (async () => (await credentials.tokenRevoked(facts).catch(() => false)) === true)
  }

  /** Watches the request's credential for as long as its answer is open. */
  return function endWithCredential(request: FastifyRequest, reply: FastifyReply): void {
    const token = bearer.exec(request.headers.authorization ?? '')?.[1]
    if (token === undefined) return
    const timers: NodeJS.Timeout[] = []
    const revoked = revocationCheck(token)
    if (revoked) timers.push(setInterval(() => void revoked().then((ended) => ended && end(request, reply, 'revoked')), checkEveryMs))
    const { exp } = isApiKey(token) ? {} : (app.jwt.decode<{ exp?: number }>(token) ?? {})
    if (exp !== undefined) timers.push(setTimeout(() => end(request, reply, 'expired'), Math.min(LONGEST_TIMER_MS, Math.max(0, exp * 1000 - Date.now()))))
    reply.raw.once('close', () => timers.forEach(clearTimeout))
  }
}
