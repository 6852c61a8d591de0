import { randomUUID } from 'node:crypto'
import { createDecoder, createSigner, createVerifier } from 'fast-jwt'
import type { Identity } from '@restaurant/contracts/identity'
import type { Callee, Caller } from '@restaurant/contracts/public-routes'
import { identityFromClaims } from './identity-jwt.js'
import { createReplayGuard } from './replay-guard.js'
import type { SigningKey, VerifyingKey } from './service-keys.js'

export type { Callee }


/** The request a token is signed for: it is good for that method and path alone. */
export interface ServiceCall {
  method: string
  /** The request's path; a query string, if any, is not part of what is signed. */
  url: string
}

/** Who made a verified call, and the identity it asserts (an end user through the gateway, or the caller itself). */
export interface VerifiedCall {
  caller: Caller
  identity: Identity
}

/** The keys a callee trusts, by caller. */
export type TrustedCallers = Partial<Record<Caller, readonly VerifyingKey[]>>

// Tokens only cross one hop, at once; the skew allows for clocks a little apart.
const LIFETIME_MS = 10_000
const CLOCK_SKEW_MS = 2_000
const requiredClaims = ['sub', 'exp', 'iat', 'iss', 'aud', 'jti', 'htm', 'htu']

const pathOf = (url: string) => url.split('?', 1)[0] ?? url

/** Signs `caller`'s calls (EdDSA): each token names its callee, the method and path of its request, and a fresh id. */
export function createServiceSigner(caller: Caller, key: SigningKey) {
  const sign = createSigner({ key: key.pem, algorithm: 'EdDSA', iss: caller, kid: key.kid, expiresIn: LIFETIME_MS })
  return (callee: Callee, identity: Identity, call: ServiceCall): string =>
    sign({ aud: callee, sub: identity.subject, roles: identity.roles, htm: call.method, htu: pathOf(call.url), jti: randomUUID() })
}
export type ServiceSigner = ReturnType<typeof createServiceSigner>

/**
 * Verifies tokens meant for `callee`: signed by a key of a trusted caller (found by its id), for this very request,
 * unexpired, and never seen before. Throws saying which of these fails.
 */
export function createServiceVerifier(callee: Callee, trusted: TrustedCallers) {
  const decode = createDecoder({ complete: true })
  const verifiers = new Map(Object.entries(trusted).flatMap(([caller, keys]) => keys.map((key) => [key.kid, { caller: caller as Caller, verify: verifierFor(callee, caller, key) }] as const)))
  const firstUse = createReplayGuard()
  return (token: string | undefined, call: ServiceCall): VerifiedCall => {
    if (!token) throw new Error('no identity')
    const { header } = decode(token) as { header: { kid?: unknown } }
    const signer = verifiers.get(String(header.kid))
    if (!signer) throw new Error('signed by a key this service does not trust')
    const claims = signer.verify(token) as { htm?: unknown; htu?: unknown; jti?: unknown; exp: number; iat: number }
    if (claims.iat * 1000 > Date.now() + CLOCK_SKEW_MS) throw new Error('issued in the future')
    if (claims.htm !== call.method || claims.htu !== pathOf(call.url)) throw new Error('signed for another request')
    const identity = identityFromClaims(claims)
    if (!identity) throw new Error('malformed identity')
    if (!firstUse(String(claims.jti), claims.exp * 1000 + CLOCK_SKEW_MS)) throw new Error('already used')
    return { caller: signer.caller, identity }
  }
}
export type ServiceVerifier = ReturnType<typeof createServiceVerifier>

function verifierFor(callee: Callee, caller: string, key: VerifyingKey) {
  return createVerifier({ key: key.pem, algorithms: ['EdDSA'], allowedIss: caller, allowedAud: callee, requiredClaims, clockTolerance: CLOCK_SKEW_MS, maxAge: LIFETIME_MS + CLOCK_SKEW_MS })
}
