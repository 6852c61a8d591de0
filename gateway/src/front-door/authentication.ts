import createError from '@fastify/error'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { anonymous, type Identity } from '@restaurant/contracts/identity'
import { ANYONE, type PublicRoute } from '@restaurant/contracts/public-routes'
import { isApiKey } from '@restaurant/platform/auth/api-keys'
import { identityFromClaims, lifetimeProblem, userTokenFactsOf } from '@restaurant/platform/auth/identity-jwt'
import type { CredentialChecks } from '../auth/credential-checks.js'

export const UnauthorizedError = createError('UNAUTHORIZED', 'Authentication failed: %s', 401)
export const KeyCheckUnavailableError = createError('KEY_CHECK_UNAVAILABLE', 'Credentials cannot be checked right now', 503)

const bearer = /^Bearer ([\x21-\x7e]+)$/i

/** What a credential check decided: who is calling, or why not. */
type Verdict = { identity: Identity } | { refused: string }
const notValid: Verdict = { refused: 'the credential is not valid' }

/** Fails closed: a credential that cannot be checked (the cache and the waiter both away) is not taken on trust. */
async function orUnavailable<T>(check: Promise<T>): Promise<T> {
  try {
    return await check
  } catch (err) {
    throw new KeyCheckUnavailableError({ cause: err })
  }
}

/**
 * Who is calling: a JWT (verified by @fastify/jwt, within the longest lifetime accepted, and not revoked) or an API
 * key (checked against its hash). A route open to anyone may be called without a credential; a credential that is
 * sent must be valid. An API key is looked up only once `keyLookups` resolves (the caller's address budget): a flood
 * of made-up keys never reaches the waiter. A JWT's revocation is read from Redis meanwhile, in the same round trip.
 */
export function createAuthenticator(app: FastifyInstance, credentials: Pick<CredentialChecks, 'authenticateKey' | 'tokenRevoked'>, maxLifetimeSeconds: number) {
  async function identify(request: FastifyRequest, route: PublicRoute, reply: FastifyReply, keyLookups: Promise<unknown> = Promise.resolve()): Promise<Identity> {
    const header = request.headers.authorization
    if (header === undefined && route.roles === ANYONE) return anonymous
    const token = header === undefined ? undefined : bearer.exec(header)?.[1]
    const verdict: Verdict = token ? await verify(token, keyLookups) : { refused: 'send a bearer token (JWT or API key)' }
    if ('identity' in verdict) return verdict.identity
    void reply.header('www-authenticate', `Bearer realm="restaurant"${token ? ', error="invalid_token"' : ''}`)
    throw new UnauthorizedError(verdict.refused)
  }

  async function verify(token: string, keyLookups: Promise<unknown>): Promise<Verdict> {
    if (isApiKey(token)) {
      await keyLookups
      const identity = await orUnavailable(credentials.authenticateKey(token))
      return identity ? { identity } : notValid
    }
    let claims: unknown
    try {
      claims = app.jwt.verify(token)
    } catch {
      return notValid
    }
    return verifiedTokenVerdict(claims)
  }

  async function verifiedTokenVerdict(claims: unknown): Promise<Verdict> {
    const identity = identityFromClaims(claims)
    const facts = userTokenFactsOf(claims)
    if (!identity || !facts) return notValid
    const tooLong = lifetimeProblem(facts, maxLifetimeSeconds, Math.floor(Date.now() / 1000))
    if (tooLong) return { refused: tooLong }
    if (await orUnavailable(credentials.tokenRevoked(facts))) return { refused: 'the token was revoked' }
    return { identity }
  }

  return identify
}
export type Authenticator = ReturnType<typeof createAuthenticator>
