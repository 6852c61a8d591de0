import { createSigner } from 'fast-jwt'
import { IDENTITY_HEADER, type Identity, type Role } from '@restaurant/contracts/identity'
import { signingKeyFrom } from '@restaurant/platform/auth/service-keys'
import { createServiceSigner } from '@restaurant/platform/auth/service-tokens'
import { DEVELOPMENT_SECRETS } from '@restaurant/platform/runtime/config'
import { loadGatewayConfig } from '../../gateway/src/config.js'
import { mintToken, tokenSettingsFrom } from '../../gateway/src/auth/tokens.js'

/** Tokens as the gateway's default (development) settings sign them, and the identities behind them. */
export const tokenSettings = tokenSettingsFrom(loadGatewayConfig({ NODE_ENV: 'test' }))

export const customer = (subject = 'alice'): Identity => ({ subject, roles: ['customer'] })
export const staff: Identity = { subject: 'chef', roles: ['staff'] }
export const admin: Identity = { subject: 'owner', roles: ['admin'] }

export function tokenFor(identity: Identity, expiresInSeconds = 3_600): string {
  return mintToken(tokenSettings, identity, expiresInSeconds)
}

/** The Authorization header of a person with these roles. */
export function bearer(identity: Identity | string): Record<string, string> {
  return { authorization: `Bearer ${typeof identity === 'string' ? identity : tokenFor(identity)}` }
}

export function asCustomer(subject?: string): Record<string, string> {
  return bearer(customer(subject))
}

export function as(...roles: Role[]): Record<string, string> {
  return bearer({ subject: roles.join('+'), roles })
}

const signAsGateway = createServiceSigner('gateway', signingKeyFrom(DEVELOPMENT_SECRETS.GATEWAY_SIGNING_KEY, 'GATEWAY_SIGNING_KEY'))
const signAsWaiter = createServiceSigner('waiter', signingKeyFrom(DEVELOPMENT_SECRETS.WAITER_SIGNING_KEY, 'WAITER_SIGNING_KEY'))

/** The header the gateway adds, for calling the waiter directly as if through the gateway: good for one request. */
export function signedIdentity(identity: Identity, method: string, url: string): Record<string, string> {
  return { [IDENTITY_HEADER]: signAsGateway('waiter', identity, { method, url }) }
}

/** The same for a GET of `url`, a whole URL. */
export function signedGet(identity: Identity, url: string): Record<string, string> {
  return signedIdentity(identity, 'GET', new URL(url).pathname)
}

/** The header the waiter adds to its calls to the kitchen's internal API: good for one request. */
export function signedAsWaiter(method: string, url: string): Record<string, string> {
  return { [IDENTITY_HEADER]: signAsWaiter('kitchen', { subject: 'service:waiter', roles: [] }, { method, url }) }
}

const seconds = () => Math.floor(Date.now() / 1000)
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
const claimsOf = (identity: Identity) => ({ sub: identity.subject, roles: identity.roles, iss: tokenSettings.issuer, aud: tokenSettings.audience })

/** Tokens a careless or hostile client might send; the gateway must refuse every one. */
export const badTokens = {
  garbage: 'not-a-token',
  expired: createSigner({ key: tokenSettings.secret, algorithm: 'HS256' })({ ...claimsOf(customer()), iat: seconds() - 120, exp: seconds() - 60 }),
  wrongAudience: createSigner({ key: tokenSettings.secret, algorithm: 'HS256' })({ ...claimsOf(customer()), aud: 'another-api', exp: seconds() + 3_600 }),
  // Issued to live ten days, past any maximum lifetime the gateway accepts.
  tooLong: createSigner({ key: tokenSettings.secret, algorithm: 'HS256' })({ ...claimsOf(customer()), iat: seconds(), exp: seconds() + 864_000 }),
  // Without `iat`, its lifetime cannot be bounded.
  noIssuedAt: createSigner({ key: tokenSettings.secret, algorithm: 'HS256', noTimestamp: true })({ ...claimsOf(customer()), exp: seconds() + 3_600 }),
  wrongSecret: createSigner({ key: 'a-secret-that-is-not-the-gateways-own!', algorithm: 'HS256' })({ ...claimsOf(customer()), exp: seconds() + 3_600 }),
  // Unsigned, and claiming every role.
  algNone: `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...claimsOf({ subject: 'alice', roles: ['customer', 'staff', 'admin'] }), exp: seconds() + 3_600 })}.`,
}
